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


def restore_starter_synonyms(sender, app_config=None, apps=None, **kwargs) -> None:
    # A flush (a live-server test's teardown) empties what migration 0007 seeded; a library
    # with no synonym group at all gets the starter groups back, as a fresh migrate gives.
    if app_config is None or app_config.label != "resources":
        return
    registry = apps if apps is not None else app_config.apps
    try:
        synonym_model = registry.get_model("resources", "SearchSynonym")
    except LookupError:
        return
    if not synonym_model.objects.exists():
        synonym_model.objects.bulk_create(
            synonym_model(terms=terms, note=note) for terms, note in STARTER_SYNONYMS
        )
        from resources.search import forget_synonyms

        forget_synonyms()  # bulk_create sends no signals
