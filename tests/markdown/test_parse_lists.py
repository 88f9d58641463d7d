"""parse_markdown on the three real lists: the seed, the dynamics paper list, the 2026 list."""

import re

from resources.markdown.document import Link, all_entries, iter_sections
from resources.markdown.render import render_markdown
from resources.markdown.urls import normalize_url
from tests.markdown.helpers import all_text, entry, section

# The seed ------------------------------------------------------------------------------


def test_seed_title_intro_and_sections(seed):
    assert seed.title == "Deep Learning Theory"
    assert seed.intro == "整理了一些深度学习的理论相关内容，持续更新。"
    assert [s.title for s in seed.sections] == [
        "Overview",
        "Course",
        "Architecture",
        "Approximation",
        "Optimization",
        "Geometry",
        "Book",
        "Session",
        "generalization",
        "Others",
        "DeepModeling",
        "数学形式主义与计算机",
        "Discussion",
    ]
    assert {s.level for s in seed.sections} == {2}
    assert seed.entries == []


def test_seed_approximation_entry_without_url_has_six_children(seed):
    approximation = section(seed, "Approximation")
    assert len(approximation.entries) == 1
    theory = approximation.entries[0]
    assert (theory.title, theory.url, theory.marker, theory.line) == (
        "NN Approximation Theory",
        "",
        "6",
        66,
    )
    assert [c.marker for c in theory.children] == ["6.0", "6.1", "6.2", "6.3", "6.4", "6.5"]
    first = theory.children[0]
    assert first.title == "Universal approximation theorem"
    assert first.url == "https://en.wikipedia.org/wiki/Universal_approximation_theorem"
    assert first.description == "NN逼近从这里开始(1991)"
    assert (first.year, first.line) == (1991, 67)
    assert theory.children[3].title == "赵拓等三篇"
    assert theory.children[5].url == "https://arxiv.org/pdf/1805.10769.pdf"


def test_seed_course_numbering(seed):
    course = section(seed, "Course")
    assert [e.marker for e in course.entries] == ["2", "2+", "3", "4", "5", "6"]
    note = course.entries[1]
    assert note.title == "2021 Deep learning theory lecture note"
    assert note.url == "https://mjt.cs.illinois.edu/dlt/"  # the trailing space is not part of it
    assert (
        note.description
        == "\n+ 2.1 逼近，优化，通用性，三方面做了总结，核心内容网页可见，比较友好。"
    )
    assert note.children == []
    assert any("line 23" in w and "2+" in w for w in seed.warnings)


def test_seed_featured_entry_with_authors_and_bare_url(seed):
    parsimony = entry(
        seed,
        "On the Principles of Parsimony and Self-Consistency for the Emergence of Intelligence",
    )
    assert parsimony.featured
    assert (parsimony.marker, parsimony.url) == ("2", "https://arxiv.org/abs/2207.04630")
    assert parsimony.year == 2022
    assert parsimony.authors == ["马毅", "沈向洋", "曹颖"]
    assert parsimony.links == [Link(label="", url="https://zhuanlan.zhihu.com/p/543041107")]
    featured = [e.title for e in all_entries(seed) if e.featured]
    assert featured == [
        parsimony.title,
        "A New Perspective of Entropy",
        "An automatic theorem proving project",
    ]


def test_seed_broken_and_doubled_links_are_repaired(seed):
    minerva = entry(seed, "minerva")
    assert minerva.links == [
        Link(label="测试地址", url="https://minerva-demo.github.io/#category=Algebra&index=1")
    ]
    adai = entry(seed, "Adai")
    assert adai.links == [
        Link(label="Adai-zhihu", url="https://www.zhihu.com/question/323747423/answer/2576604040")
    ]
    assert "[Adai-zhihu](https://www.zhihu.com/question/323747423/answer/2576604040)" in (
        adai.description
    )
    grand = entry(seed, "GRAND: Graph Neural Diffusion")
    assert grand.links[0] == Link(
        label="项目地址graph-neural-pde", url="https://github.com/twitter-research/graph-neural-pde"
    )
    assert entry(seed, "DeepModeling").links == [
        Link(label="其github地址", url="https://github.com/deepmodeling")
    ]
    warnings = "\n".join(seed.warnings)
    assert "line 85: link written as [text]((url))" in warnings
    for lines in ("138-139", "142-143", "171-172"):
        assert f"lines {lines}: a link URL was broken across lines" in warnings


def test_seed_merge_conflict_keeps_both_sides_once(seed):
    others = section(seed, "Others")
    tail = [(e.marker, e.title, e.line) for e in others.entries[-6:]]
    assert tail == [
        ("29", "可解释性：Batch Normalization未必客观地反应损失函数信息", 148),
        ("30", "Homotopy Theoretic and Categorical Models of Neural Information Networks", 149),
        ("31", "Deep learning via dynamical systems: An approximation perspective", 150),
        ("32", "群论角度", 151),
        ("30", "Why Adversarial Training of ReLU Networks is Difficult?", 154),
        ("31", "Trap of Feature Diversity in the Learning of MLPs", 161),
    ]
    # 29 is on both sides; the other side's description is the richer one.
    batch_norm = others.entries[-6]
    assert batch_norm.description.startswith("2022,张拳石等.BN操作使得神经网络训练无法客观反应")
    assert batch_norm.authors == ["张拳石"]
    assert any(w.startswith("lines 147-169: unresolved merge conflict") for w in seed.warnings)
    for text in all_text(seed):
        assert not re.search(r"^(<{7}|={7}|>{7})", text, re.MULTILINE)


def test_seed_numbered_notes_are_description_not_entries(seed):
    adversarial = entry(seed, "Why Adversarial Training of ReLU Networks is Difficult?")
    assert adversarial.children == []
    assert adversarial.description.startswith("2022.5,Xu Cheng等\n1. 我们推导了对抗扰动的解析解")
    assert adversarial.description.endswith("\n6. 等")
    assert (adversarial.year, adversarial.authors) == (2022, ["Xu Cheng"])
    # A note that is only a link, among notes, under an entry with a URL: a secondary link.
    trap = entry(seed, "Trap of Feature Diversity in the Learning of MLPs")
    assert trap.children == []
    assert trap.links == [Link(label="原作者解析", url="https://zhuanlan.zhihu.com/p/521453526")]
    assert trap.description.endswith("4.  [原作者解析](https://zhuanlan.zhihu.com/p/521453526)")
    overview = entry(seed, "Recent advances in deep learning theory")
    assert overview.children == []
    assert "\n + 1.1 complexity and capacity-basedapproaches" in overview.description
    assert overview.year == 2021
    maths = entry(seed, "MathsDL-spring19")
    assert maths.children == []
    assert "    + Euclidean Geometry: transportation metrics" in maths.description


def test_seed_children_of_linked_entries(seed):
    optimization = section(seed, "Optimization")
    shape = [(e.title, e.url, [c.marker for c in e.children]) for e in optimization.entries]
    assert shape == [
        ("SGD", "", ["7.1"]),
        ("offconvex", "http://www.offconvex.org/", ["8.1", "8.2", "8.3"]),
        ("Adam", "https://arxiv.org/abs/1412.6980", ["9.1", "9.2"]),
    ]
    assert section(seed, "Geometry").entries[0].title == "Optima transmission"


def test_seed_deepmodeling_heading_with_leading_space(seed):
    deepmodeling = section(seed, "DeepModeling")
    assert (deepmodeling.level, deepmodeling.line) == (2, 170)
    assert [(e.title, e.url, e.line) for e in deepmodeling.entries] == [
        ("DeepModeling", "https://deepmodeling.com/", 171)
    ]
    assert section(seed, "数学形式主义与计算机").line == 174


def test_seed_hints(seed):
    assert (
        entry(seed, "Deep Learning Theory 4").venue,
        entry(seed, "Deep Learning Theory 4").year,
    ) == (
        "ICML",
        2021,
    )
    visualizing = entry(seed, "Visualizing the Emergence of Intermediate Visual Patterns in DNNs")
    assert (visualizing.venue, visualizing.year) == ("NeurIPS", 2021)  # written "(2021,NIPS)"
    assert entry(seed, "Advancing mathematics by guiding human intuition with AI").venue == "Nature"
    book = entry(seed, "Theory of Deep Learning(draft)")
    assert (book.authors, book.year) == (["Rong Ge"], 2019)
    assert entry(seed, "The Principles of Deep Learning Theory").authors == [
        "Daniel A. Roberts",
        "Sho Yaida",
    ]
    assert entry(
        seed, "Geometric Deep Learning: Grids, Groups, Graphs, Geodesics, and Gauges"
    ).authors == ["Michael M. Bronstein", "Joan Bruna", "Taco Cohen", "Petar Veličković"]
    # "(2021.7)Tensor Rank 能否…" names no one: better no authors than wrong ones.
    tensor = entry(
        seed,
        "Implicit Regularization in Tensor Factorization: Can Tensor Rank Shed Light on "
        "Generalization in Deep Learning?",
    )
    assert (tensor.year, tensor.authors) == (2021, [])
    assert entry(seed, "Adam").year is None


def test_every_url_of_the_seed_is_in_the_document(seed, seed_text):
    joined = re.sub(r"(\]\(https?://[^\s()]*)\n([^\s()]+\))", r"\1\2", seed_text)
    urls = {u.rstrip(".,") for u in re.findall(r"https?://[^\s()\[\]<>，。]+", joined)}
    assert len(urls) == 86
    found = {e.url for e in all_entries(seed)} | {
        link.url for e in all_entries(seed) for link in e.links
    }
    assert urls - found == set()


def test_seed_entry_count(seed):
    entries = list(all_entries(seed))
    assert len(entries) == 73  # the conflict block's 7 items make 6 entries (29 merged)
    assert [e.title for e in entries if not e.url] == [
        "NN Approximation Theory",
        "SGD",
        "Optima transmission",
    ]


def test_sections_have_line_numbers_and_no_text_is_lost(seed):
    assert [s.line for s in iter_sections(seed.sections)][:4] == [3, 20, 62, 65]
    keys = [normalize_url(e.url) for e in all_entries(seed) if e.url]
    assert "arxiv:2012.10931" in keys


def test_rendered_seed_has_no_conflict_markers(seed):
    rendered = render_markdown(seed)
    assert not re.search(r"^(<{7}|={7}|>{7})", rendered, re.MULTILINE)
    assert "- [DeepModeling](https://deepmodeling.com/)" in rendered


# The dynamics paper list ---------------------------------------------------------------


def test_dynamics_sections_are_h1s(dynamics):
    assert dynamics.title == "deep-learning-dynamics-paper-list"
    assert dynamics.intro.startswith("This is a list of peer-reviewed representative papers")
    assert [(s.title, s.level, len(s.entries)) for s in dynamics.sections] == [
        ("Introduction", 1, 0),
        ("1. Learning Dynamics of GD and SGD", 1, 52),
        ("2. Learning Dynmaics of Momentum", 1, 6),
        ("3. Learning Dynmaics of Adaptive Gradient Methods", 1, 6),
        ("4. Learning Dynamics with Training Techniques", 1, 12),
        ("5. Learning Dynamics beyond Standard Training", 1, 17),
        ("Citing", 1, 0),
    ]
    assert "(1) Learning Dynamics of GD and SGD," in dynamics.sections[0].intro


def test_dynamics_text_title_entries(dynamics):
    first = dynamics.sections[1].entries[0]
    assert first.title == "Gradient descent only converges to minimizers"
    assert first.url == "http://proceedings.mlr.press/v49/lee16.pdf"
    assert (first.venue, first.year, first.marker, first.featured) == ("COLT", 2016, "", False)
    assert (
        first.description == ". In *COLT 2016*. [[pdf](http://proceedings.mlr.press/v49/lee16.pdf)]"
    )
    assert first.links == []  # the [pdf] link is the entry's own URL
    escape = entry(dynamics, "An alternative view: When does SGD escape local minima?")
    assert (escape.venue, escape.year) == ("ICML", 2018)
    polyak = entry(dynamics, "Dynamics of SGD with Stochastic Polyak Stepsizes")
    assert (polyak.venue, polyak.year) == ("", None)
    sparse = entry(dynamics, "SGD with Large Step Sizes Learns Sparse Features")  # "[pdf](…)]"
    assert (sparse.url, sparse.venue) == ("https://openreview.net/pdf?id=DnTuz0ziwN", "ICML")
    assert (
        entry(
            dynamics,
            "Adaptive Inertia: Disentangling the effects of adaptive learning rate and momentum",
        ).url
        == "https://arxiv.org/pdf/2006.15815.pdf"
    )


def test_dynamics_citing_code_blocks_yield_nothing(dynamics):
    citing = section(dynamics, "Citing")
    assert citing.entries == [] and citing.children == []
    assert "@inproceedings{" in citing.intro and "```" in citing.intro
    assert not any("openreview.net/forum?id=wXgk_iCiYGo" in e.url for e in all_entries(dynamics))


def test_dynamics_duplicates_are_kept_and_reported(dynamics):
    assert "http://proceedings.mlr.press/v97/du19c/du19c.pdf listed twice (lines 38 and 40)" in (
        dynamics.warnings
    )
    assert "https://openreview.net/pdf?id=ffy-h0GKZbK listed twice (lines 69 and 121)" in (
        dynamics.warnings
    )
    assert len(list(all_entries(dynamics))) == 93


# The 2026 list -------------------------------------------------------------------------


def test_2026_highlights_have_child_sections(list_2026):
    highlights = section(list_2026, "2025–2026 Highlights")
    assert highlights.level == 2 and highlights.entries == []
    assert [(c.title, c.level) for c in highlights.children] == [
        ("Lean / Formalization", 3),
        ("AI for Math / Discovery", 3),
        ("A Case Study: Murmurations", 3),
        ("Open Repositories / Communities", 3),
    ]
    assert "> 2026-03 更新" in list_2026.intro
    assert "`Overview`：深度学习理论与智能理论综述。" in section(list_2026, "Contents").intro


def test_2026_featured_entry_with_secondary_link(list_2026):
    sphere = entry(list_2026, "Sphere Packing in Lean")
    assert sphere.featured and sphere.marker == ""
    assert sphere.url == "https://github.com/math-inc/Sphere-Packing-Lean"
    assert sphere.links == [Link(label="official post", url="https://math.inc/sphere-packing")]
    assert sphere.line == 16


def test_2026_images_and_prose_stay_with_the_entry_above(list_2026):
    equational = entry(
        list_2026,
        "The Equational Theories Project: Advancing Collaborative Mathematical Research at Scale",
    )
    assert "\n\n![Archon workflow](imgs/archon_workflow.svg)\n\n" in equational.description
    assert equational.links == []
    murmurations = entry(list_2026, "Murmurations of elliptic curves")  # a paragraph entry
    assert murmurations.url == "https://arxiv.org/abs/2204.10140"
    assert "- **数据表示**：" in murmurations.description
    assert murmurations.links == [
        Link(label="Murmurations of Mestre-Nagao sums", url="https://arxiv.org/abs/2403.17626")
    ]


def test_2026_html_comment_is_not_a_link(list_2026):
    maths = entry(list_2026, "Deep Maths-machine learning and mathematics")
    assert "<!-- ![image](./imgs/ex1_knot.png) -->" in maths.description
    assert maths.links == []


def test_2026_entries(list_2026):
    feng = entry(list_2026, "Eigenweights for arithmetic Hirzebruch Proportionality")
    assert (feng.year, feng.authors) == (2026, ["Tony Feng"])
    lim = section(list_2026, "数学家").entries[0]
    assert [c.marker for c in lim.children] == ["1.1", "1.2", "1.3", "1.4"]
    assert lim.children[0].url == "https://dl.acm.org/doi/abs/10.5555/3455716.3455900"
    assert section(list_2026, "数学家").intro == "懒得分类了，随便新加了一类"
    deepmodeling = section(list_2026, "DeepModeling").entries
    assert [e.marker for e in deepmodeling] == ["1", "2", "3", "4", "5", "6"]
    overparameterized = entry(
        list_2026,
        "Overparameterized ReLU Neural Networks Learn the Simplest Model: Neural Isometry and "
        "Phase Transitions",
    )
    assert overparameterized.children == []
    assert "\n1. 对于两层ReLU网络" in overparameterized.description
