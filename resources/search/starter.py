"""The starter synonym groups (terms, note): seeded by migration 0007; curators edit them."""

STARTER_SYNONYMS = [
    ("NTK, neural tangent kernel, 神经正切核", "acronym"),
    ("GNN, graph neural network, 图神经网络", "acronym"),
    ("泛化, generalization", "Chinese ↔ English"),
    ("逼近, approximation", "Chinese ↔ English"),
    ("优化, optimization", "Chinese ↔ English"),
    ("几何, geometry", "Chinese ↔ English"),
    ("对抗, adversarial", "Chinese ↔ English"),
    ("SGD, stochastic gradient descent, 随机梯度下降", "acronym"),
    ("CNN, convolutional neural network, 卷积神经网络", "acronym"),
    ("RNN, recurrent neural network, 循环神经网络", "acronym"),
    ("PAC, probably approximately correct", "acronym"),
    ("VC dimension, Vapnik-Chervonenkis dimension, VC维", "acronym"),
    ("RKHS, reproducing kernel Hilbert space, 再生核希尔伯特空间", "acronym"),
    ("信息瓶颈, information bottleneck", "Chinese ↔ English"),
    ("稀疏, sparse", "Chinese ↔ English"),
    ("流形, manifold", "Chinese ↔ English"),
    ("深度学习, deep learning", "Chinese ↔ English"),
]
