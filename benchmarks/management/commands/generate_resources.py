"""`python manage.py generate_resources --count N`: fill the catalogue with synthetic entries.

For load and search benchmarks only. Titles and descriptions mix Chinese and English terms of
deep learning theory, authors have Chinese aliases, entries carry tags, topics and links. Rows
are written with bulk_create in batches, their search documents computed on the way in.
"""

from __future__ import annotations

import random
import time

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from resources.markdown.urls import normalize_url
from resources.models import (
    Author,
    AuthorAlias,
    Authorship,
    Kind,
    Language,
    Resource,
    ResourceLink,
    Topic,
)
from resources.search.index import document

# (English, Chinese) terms of the field.
TERMS = [
    ("generalization", "泛化"),
    ("approximation", "逼近"),
    ("optimization", "优化"),
    ("geometry", "几何"),
    ("adversarial robustness", "对抗鲁棒性"),
    ("neural tangent kernel", "神经正切核"),
    ("mean field", "平均场"),
    ("information bottleneck", "信息瓶颈"),
    ("double descent", "双下降"),
    ("implicit regularization", "隐式正则化"),
    ("loss landscape", "损失曲面"),
    ("overparameterization", "过参数化"),
    ("stochastic gradient descent", "随机梯度下降"),
    ("graph neural network", "图神经网络"),
    ("convolutional network", "卷积网络"),
    ("transformer", "注意力机制"),
    ("sparse coding", "稀疏编码"),
    ("manifold", "流形"),
    ("optimal transport", "最优传输"),
    ("rate reduction", "编码率约简"),
    ("frequency principle", "频率原则"),
    ("scaling law", "缩放定律"),
    ("symmetry", "对称性"),
    ("group equivariance", "群等变"),
    ("Rademacher complexity", "拉德马赫复杂度"),
    ("PAC-Bayes bound", "PAC-贝叶斯界"),
    ("Gaussian process", "高斯过程"),
    ("lazy training", "惰性训练"),
    ("expressivity", "表达能力"),
    ("depth separation", "深度分离"),
    ("benign overfitting", "良性过拟合"),
    ("grokking", "顿悟现象"),
    ("in-context learning", "上下文学习"),
    ("renormalization group", "重整化群"),
    ("statistical physics", "统计物理"),
    ("compression", "压缩"),
    ("representation learning", "表示学习"),
    ("curse of dimensionality", "维数灾难"),
    ("dynamical system", "动力系统"),
    ("kernel method", "核方法"),
]
ARCHITECTURES = ["deep networks", "two-layer networks", "ResNets", "transformers", "CNNs", "GNNs"]
EN_TITLES = [
    "On the {a} of {arch}",
    "{A} and {b} in {arch}",
    "Understanding {a} through {b}",
    "A theory of {a} for {arch}",
    "Towards {a}: a {b} perspective",
    "{A} beyond {b}",
]
ZH_TITLES = [
    "{za}与{zb}",
    "从{zb}看{za}",
    "深度网络的{za}理论",
    "{za}：{b}入门",
    "理解{za}",
]
EN_SENTENCES = [
    "We study {a} and relate it to {b}.",
    "The analysis covers {arch} trained by gradient descent.",
    "Our bounds explain why {a} improves with width.",
    "Experiments confirm the predictions of the {b} view.",
]
ZH_SENTENCES = [
    "本文讨论{za}与{zb}之间的联系。",
    "我们从{zb}的角度解释{za}现象。",
    "结果表明{za}随宽度增大而改善。",
]
SURNAMES = [
    ("Wang", "王"),
    ("Li", "李"),
    ("Zhang", "张"),
    ("Liu", "刘"),
    ("Chen", "陈"),
    ("Yang", "杨"),
    ("Zhao", "赵"),
    ("Huang", "黄"),
    ("Zhou", "周"),
    ("Wu", "吴"),
    ("Xu", "徐"),
    ("Sun", "孙"),
    ("Ma", "马"),
    ("Zhu", "朱"),
    ("Hu", "胡"),
    ("Guo", "郭"),
    ("He", "何"),
    ("Lin", "林"),
    ("Luo", "罗"),
    ("Gao", "高"),
]
GIVEN = [
    ("Wei", "伟"),
    ("Fang", "芳"),
    ("Min", "敏"),
    ("Jing", "静"),
    ("Lei", "磊"),
    ("Yang", "洋"),
    ("Yong", "勇"),
    ("Jie", "杰"),
    ("Tao", "涛"),
    ("Ming", "明"),
    ("Chao", "超"),
    ("Hua", "华"),
    ("Ping", "平"),
    ("Gang", "刚"),
    ("Hui", "辉"),
    ("Yi", "毅"),
    ("Bo", "波"),
    ("Xin", "鑫"),
    ("Kai", "凯"),
    ("Hao", "浩"),
]
WESTERN_FIRST = [
    "Sanjeev",
    "Matus",
    "Andrea",
    "Francis",
    "Peter",
    "Mikhail",
    "Lenaic",
    "Jason",
    "Arthur",
    "Naftali",
    "Greg",
    "Jascha",
    "Surya",
    "Yasaman",
    "Nati",
    "Ohad",
]
WESTERN_LAST = [
    "Arora",
    "Telgarsky",
    "Montanari",
    "Bach",
    "Bartlett",
    "Belkin",
    "Chizat",
    "Lee",
    "Jacot",
    "Tishby",
    "Yang",
    "Sohl-Dickstein",
    "Ganguli",
    "Bahri",
    "Srebro",
    "Shamir",
]
VENUES = ["NeurIPS", "ICML", "ICLR", "COLT", "JMLR", "PNAS", "AISTATS", "ACHA", ""]
LINK_LABELS = ["code", "slides", "video", "知乎解读", "B站视频", "blog", "中文翻译"]
KINDS = [Kind.PAPER] * 6 + [Kind.BLOG, Kind.BLOG, Kind.VIDEO, Kind.COURSE, Kind.NOTES, Kind.BOOK]


class Command(BaseCommand):
    help = "Add N synthetic resources (with authors, tags, topics and links) for benchmarks."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--count", type=int, required=True, help="How many resources.")
        parser.add_argument("--seed", type=int, default=4, help="Random seed.")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, count: int, seed: int, batch_size: int, **options) -> None:
        if count < 0 or count > 5_000_000:
            raise CommandError("--count must be between 0 and 5,000,000.")
        started = time.perf_counter()
        rng = random.Random(seed)
        run = (Resource.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        with transaction.atomic():
            topics = self._topics()
            tags = self._tags()
            authors = self._authors(rng, max(20, count // 25), run)
        content_type = ContentType.objects.get_for_model(Resource)
        position = 0
        for start in range(0, count, batch_size):
            size = min(batch_size, count - start)
            with transaction.atomic():
                self._batch(rng, run, start, size, topics, tags, authors, content_type, position)
            position += size
            if options["verbosity"] > 1:
                self.stdout.write(f"{start + size} / {count}")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, so the planner knows the new rows
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {count} resources in {time.perf_counter() - started:.1f} s."
            )
        )

    def _topics(self) -> list[Topic]:
        topics = []
        base = (Topic.objects.aggregate(m=Max("position"))["m"] or 0) + 1
        for i, (english, chinese) in enumerate(TERMS[:16]):
            topic, _ = Topic.objects.get_or_create(
                slug=f"synthetic-{slugify(english)}",
                defaults={"name": f"{chinese} {english.capitalize()}", "position": base + i},
            )
            topics.append(topic)
        return topics

    def _tags(self) -> list[Tag]:
        tags = []
        for english, _ in TERMS:
            tag = Tag.objects.filter(name__iexact=english).first()
            tags.append(tag or Tag.objects.create(name=english, slug=slugify(english)))
        return tags

    def _authors(self, rng: random.Random, n: int, run: int) -> list[tuple[Author, list[str]]]:
        taken = set(AuthorAlias.objects.values_list("name", flat=True))
        made: list[Author] = []
        aliases: list[list[str]] = []
        for i in range(n):
            if rng.random() < 0.7:
                (surname, han_surname), (given, han_given) = rng.choice(SURNAMES), rng.choice(GIVEN)
                if rng.random() < 0.5:
                    given2, han_given2 = rng.choice(GIVEN)
                    given, han_given = given + given2.lower(), han_given + han_given2
                name = f"{given} {surname}"
                names = [han_surname + han_given, f"{surname}{given}", f"{surname} {given}"]
            else:
                name = f"{rng.choice(WESTERN_FIRST)} {rng.choice(WESTERN_LAST)}"
                names = [f"{name.split()[0][0]}. {name.split()[1]}"]
            made.append(Author(name=name, slug=f"{slugify(name)}-{run}-{i}"))
            fresh = [alias for alias in names if alias not in taken and alias != name]
            taken.update(fresh)
            aliases.append(fresh)
        Author.objects.bulk_create(made, batch_size=2000)
        AuthorAlias.objects.bulk_create(
            [
                AuthorAlias(author=a, name=alias)
                for a, names in zip(made, aliases, strict=True)
                for alias in names
            ],
            batch_size=2000,
        )
        return list(zip(made, aliases, strict=True))

    def _batch(self, rng, run, start, size, topics, tags, authors, content_type, position):
        rows, extras = [], []
        for i in range(start, start + size):
            (a, za), (b, zb) = rng.sample(TERMS, 2)
            arch = rng.choice(ARCHITECTURES)
            words = {"a": a, "A": a[0].upper() + a[1:], "b": b, "za": za, "zb": zb, "arch": arch}
            chinese = rng.random() < 0.4
            title = rng.choice(ZH_TITLES if chinese else EN_TITLES).format(**words)
            sentences = [s.format(**words) for s in rng.sample(ZH_SENTENCES, 2)] if chinese else []
            sentences += [s.format(**words) for s in rng.sample(EN_SENTENCES, rng.randint(1, 3))]
            if not chinese and rng.random() < 0.3:
                sentences.append(rng.choice(ZH_SENTENCES).format(**words))
            description = " ".join(sentences)
            topic = rng.choice(topics)
            my_tags = rng.sample(tags, rng.randint(1, 3))
            my_authors = rng.sample(authors, rng.randint(1, 3))
            labels = rng.sample(LINK_LABELS, rng.choice([0, 0, 1, 2]))
            venue = rng.choice(VENUES)
            names = [n for author, aliases in my_authors for n in (author.name, *aliases)]
            search_text, search_title = document(
                title=title,
                description=description,
                venue=venue,
                topic=topic.name,
                tags=[tag.name for tag in my_tags],
                names=names,
                link_labels=labels,
            )
            url = f"https://example.org/synthetic/{run}/{i}"
            rows.append(
                Resource(
                    title=title,
                    url=url,
                    url_key=normalize_url(url),
                    kind=rng.choice(KINDS),
                    year=rng.randint(1989, 2025),
                    venue=venue,
                    description=description,
                    language=Language.CHINESE if chinese else Language.ENGLISH,
                    is_featured=rng.random() < 0.02,
                    topic=topic,
                    position=position + i - start,
                    search_text=search_text,
                    search_title=search_title,
                )
            )
            extras.append((my_tags, my_authors, labels))
        Resource.objects.bulk_create(rows)
        authorships, tagged, links = [], [], []
        for resource, (my_tags, my_authors, labels) in zip(rows, extras, strict=True):
            authorships += [
                Authorship(resource=resource, author=author, position=p)
                for p, (author, _) in enumerate(my_authors)
            ]
            tagged += [
                TaggedItem(tag=tag, content_type=content_type, object_id=resource.pk)
                for tag in my_tags
            ]
            links += [
                ResourceLink(resource=resource, label=label, url=f"{resource.url}/{n}", position=n)
                for n, label in enumerate(labels)
            ]
        Authorship.objects.bulk_create(authorships)
        TaggedItem.objects.bulk_create(tagged)
        ResourceLink.objects.bulk_create(links)
