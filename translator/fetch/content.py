"""The main content of a fetched web page, as Markdown or as a small clean HTML document.

A learner wants the lesson, not the site around it: navigation, headers, footers, side bars,
cookie banners, scripts and forms are dropped, and the most specific content container is kept
(AWS documentation's ``#main-col-body``, then ``<main>``, ``[role=main]``, ``<article>``, else the
body). Links and images are made absolute, so the saved file still points at the right places.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Comment, Tag

from ..formats.html.units import SourceOrderFormatter
from .to_markdown import html_to_markdown

NEVER_CONTENT = ("script", "style", "noscript", "template", "iframe", "object", "embed")
WIDGETS = frozenset({"dialog", "button", "input", "select", "textarea"})
CHROME = ("nav", "aside", "header", "footer")
PROSE = ("p", "h1", "h2", "h3", "article", "main")
CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search"})
NOISE_SUBSTRINGS = ("cookie", "consent", "breadcrumb", "sidebar")
NOISE_TOKENS = frozenset({"banner", "toc", "menu", "footer", "navbar"})
CONTENT_SELECTORS = ("#main-col-body", "main", "[role=main]", "article")
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")


def parse_page(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "lxml")


def page_title(soup: BeautifulSoup) -> str:
    title = soup.find("title")
    return " ".join(title.get_text().split()) if title else ""


def main_content(soup: BeautifulSoup, base_url: str) -> Tag:
    """Strip the page down to its content element (modifies ``soup``)."""
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(NEVER_CONTENT):
        tag.decompose()
    content = _choose_content(soup)
    for tag in list(content.find_all(True)):
        if not tag.decomposed and (_is_chrome(tag) or _is_widget(tag)):
            tag.decompose()
    _absolute_urls(content, base_url)
    return content


def _choose_content(soup: BeautifulSoup) -> Tag:
    for selector in CONTENT_SELECTORS:
        candidate = soup.select_one(selector)
        if candidate is not None and candidate.get_text(strip=True):
            return candidate
    return soup.body or soup


def _is_chrome(tag: Tag) -> bool:
    name = tag.name or ""
    if name in CHROME:
        return not (name == "header" and tag.find("h1") is not None)  # an article's own title bar
    if name.startswith("awsdocs-"):  # AWS docs' custom elements: banners, feedback, page chrome
        return True
    if str(tag.get("role", "")).lower() in CHROME_ROLES:
        return True
    if tag.has_attr("hidden") or str(tag.get("aria-hidden", "")).lower() == "true":
        return True
    classes: Any = tag.get("class") or []
    words = " ".join([str(tag.get("id") or ""), *(classes if isinstance(classes, list) else [classes])]).lower()
    noisy = any(part in words for part in NOISE_SUBSTRINGS) or any(
        token in NOISE_TOKENS for token in _TOKEN_SPLIT.split(words)
    )
    # A layout wrapper named "has-sidebar" or "menu-open" may hold the whole article.
    return noisy and tag.find(("h1", "main", "article")) is None


def _is_widget(tag: Tag) -> bool:
    """Buttons and form fields; a form only when it is not a page-wide wrapper of the prose."""
    if tag.name == "form":
        return tag.find(PROSE) is None
    return tag.name in WIDGETS


def _absolute_urls(content: Tag, base_url: str) -> None:
    for tag, attribute in [
        *((a, "href") for a in content.find_all("a", href=True)),
        *((i, "src") for i in content.find_all("img", src=True)),
    ]:
        value = str(tag[attribute]).strip()
        if value and not value.startswith("#"):
            tag[attribute] = urljoin(base_url, value)


def to_markdown(text: str, base_url: str) -> str:
    soup = parse_page(text)
    title = page_title(soup)
    content = main_content(soup, base_url)
    markdown = html_to_markdown(content)
    if title and content.find("h1") is None:
        markdown = f"# {title}\n\n{markdown}"
    return markdown


def to_html(text: str, base_url: str) -> str:
    soup = parse_page(text)
    title = page_title(soup)
    lang = str(soup.html.get("lang") or "en") if soup.html else "en"
    description = soup.find("meta", attrs={"name": "description"})
    content = main_content(soup, base_url)
    page = BeautifulSoup(
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8"/>\n<title></title>\n</head>\n<body>\n</body>\n</html>\n',
        "lxml",
    )
    assert page.html is not None and page.title is not None and page.body is not None  # the skeleton above
    page.html["lang"] = lang
    page.title.string = title
    if description is not None and description.get("content"):
        meta = page.new_tag("meta", attrs={"name": "description", "content": str(description["content"])})
        page.title.insert_after(meta)
        meta.insert_before("\n")
    nodes = list(content.contents) if content.name in ("body", "[document]") else [content]
    for node in nodes:
        page.body.append(node.extract())
    page.body.append("\n")
    return page.decode(formatter=SourceOrderFormatter())
