"""An HTML page the project writes, read as a browser without network shows it."""

from html.parser import HTMLParser
from pathlib import Path


class OfflinePage(HTMLParser):
    """What a browser without network shows of a page: its text outside scripts, its table rows, and
    what it would fetch or link."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.text: list[str] = []
        self.rows: list[list[str]] = []
        self.links: list[str] = []
        self.remote: list[str] = []
        self.scripts = 0
        self._hidden = 0
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
            self.scripts += tag == "script"
        if tag == "tr":
            self.rows.append([])
        if tag == "a":
            self.links.extend(value for name, value in attrs if name == "href" and value)
        self.remote.extend(value for name, value in attrs if value and "//" in value and name in ("src", "href"))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.text.append(data.strip())
            if self.rows and self.lasttag == "td":
                self.rows[-1].append(data.strip())
