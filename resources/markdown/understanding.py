"""Which sections of a parsed list become topics, and what the parser understood, per section.

* A section whose title names prose about the list itself — contents, license, contributing,
  citing, acknowledgements, changelog, … (and 目录, 许可, 贡献, 引用, 致谢, …) — is never a
  topic: entries written there (a citation's link, say) are not the list's resources.
* A section titled like an introduction (introduction, background, about, 简介, 背景, …) is a
  topic only if it holds entries itself: some lists put their first resources there.
* A section with no entries anywhere below it is not a topic.
* The sub-sections of a section that is not a topic move up to the nearest topic above (a
  list whose papers sit under `## Contents` keeps them, without an empty "Contents" topic).

`section_reports` says, for each section, what became of it and of its text: entries, prose
blocks skipped, links kept as secondary links, and lines it could not place (list items with
a link that are not entries). The import command and the admin show this before anything is
written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .document import Document, Section, iter_entries

_STRICT = (
    "contents table of contents toc index license licence licensing contributing contribution "
    "contributions contributors contribute how to contribute citation citations citing cite "
    "reference this acknowledgement acknowledgements acknowledgment acknowledgments thanks "
    "credits star history stargazers forkers changelog change log todo sponsors support disclaimer "
    "news updates update misc "
    "目录 目錄 目录导航 索引 引用 贡献 贡獻 贡献者 贡献指南 如何贡献 参与贡献 许可 许可证 "
    "协议 开源协议 致谢 鸣谢 感谢 更新日志 免责声明 引用本文 star历史 更新 最新动态 新闻"
)
_SOFT = (
    "introduction intro background about overview preface motivation foreword notes "
    "简介 介绍 背景 前言 说明 关于 备注 概述 引言"
)
STRICT_PROSE = frozenset(_STRICT.split()) | {
    "table of contents",
    "how to contribute",
    "star history",
    "change log",
    "reference this",
}
SOFT_PROSE = frozenset(_SOFT.split())


def title_key(title: str) -> str:
    """A heading's words, lower case, without emoji, numbering or punctuation."""
    words = re.sub(r"[^\w\s]|\d", " ", title).casefold().split()
    return " ".join(words)


def prose_kind(title: str) -> str:
    """ "strict", "soft" or "" (see the module docstring)."""
    key = title_key(title)
    if key in STRICT_PROSE:
        return "strict"
    if key in SOFT_PROSE:
        return "soft"
    return ""


@dataclass
class PlannedTopic:
    """A section that becomes a topic: the entries it keeps and the topics under it."""

    section: Section
    children: list[PlannedTopic] = field(default_factory=list)


def plan_topics(sections: list[Section]) -> list[PlannedTopic]:
    """The sections that become topics, nested as they will be (see the module docstring)."""
    planned: list[PlannedTopic] = []
    for section in sections:
        children = plan_topics(section.children)
        kind = prose_kind(section.title)
        has_entries = bool(section.entries) and kind != "strict"
        if kind and not has_entries or not has_entries and not children:
            planned.extend(children)
            continue
        planned.append(PlannedTopic(section, children))
    return planned


def topic_sections(document: Document) -> set[int]:
    """`id()`s of the sections that become topics."""
    found: set[int] = set()
    stack = plan_topics(document.sections)
    while stack:
        topic = stack.pop()
        found.add(id(topic.section))
        stack.extend(topic.children)
    return found


@dataclass
class SectionReport:
    """What the parser understood in one section."""

    title: str
    level: int
    line: int
    status: str  # "topic", "prose" (a prose heading: skipped) or "empty" (no entries: skipped)
    entries: int
    secondary_links: int
    prose_blocks: int
    unplaced: list[int]


def section_reports(document: Document) -> list[SectionReport]:
    """One report per section, in document order (entries above the first heading first)."""
    topics = topic_sections(document)
    reports: list[SectionReport] = []
    if document.entries:
        entries = list(iter_entries(document.entries))
        reports.append(
            SectionReport(
                title=document.title or "(before the first heading)",
                level=1,
                line=1,
                status="topic",
                entries=len(entries),
                secondary_links=sum(len(e.links) for e in entries),
                prose_blocks=0,
                unplaced=[],
            )
        )

    def walk(sections: list[Section]) -> None:
        for section in sections:
            entries = list(iter_entries(section.entries))
            if id(section) in topics:
                status = "topic"
            else:
                status = "prose" if prose_kind(section.title) else "empty"
            reports.append(
                SectionReport(
                    title=section.title,
                    level=section.level,
                    line=section.line,
                    status=status,
                    entries=len(entries) if status == "topic" else 0,
                    secondary_links=sum(len(e.links) for e in entries) if status == "topic" else 0,
                    prose_blocks=section.prose_blocks + (len(entries) if status != "topic" else 0),
                    unplaced=list(section.unplaced),
                )
            )
            walk(section.children)

    walk(document.sections)
    return reports
