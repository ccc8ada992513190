"""A seeded bilingual corpus: N English articles, their Korean translations, and About pages.

The text is generated from small vocabularies (English, and Korean in 합니다체 with particles
chosen by the final consonant), so it means little, but it has the shape of real articles:
headings, paragraphs, a bulleted list, a blockquote, emphasis, strong text and {filename}
links to other articles. It passes the project's content checks (`invoke check`).
"""

import argparse
import itertools
import json
import logging
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from random import Random

from press.core.sources import SOURCE_HASH, SOURCE_PARAGRAPHS, Fingerprint

logger = logging.getLogger(__name__)

AUTHOR = "Bench Writer"
REVIEWER = "Bench Reviewer"
# The project's own list: its catalogs name their translators, who must be on the list too.
PROJECT_PSEUDONYMS = Path(__file__).resolve().parents[1] / "content" / "pseudonyms.toml"
FIRST_DATE = date(2023, 1, 1)
EN_WORDS = 800  # words of body text per English article, on average
KO_HANGUL = 1900  # Hangul syllables of body text per Korean article, on average

EN_CATEGORIES = ("Defectors", "Families", "Policy", "Culture")
KO_CATEGORIES = ("탈북민", "가족", "정책", "문화")
EN_TAGS = ("China", "testimony", "border", "education", "migration", "winter", "markets")
KO_TAGS = ("중국", "증언", "국경", "교육", "이주", "겨울", "시장")

EN_SUBJECTS = (
    "the family", "the reporter", "a defector", "the committee", "a researcher",
    "the teacher", "a young mother", "a volunteer", "the translator", "an old friend",
    "the village elder", "the grandmother", "the eldest son", "a local activist",
)  # fmt: skip
EN_VERBS = (
    "remembers", "describes", "records", "crosses", "questions", "protects", "explains",
    "follows", "waits for", "writes about", "studies", "carries", "shares", "reads",
)  # fmt: skip
EN_OBJECTS = (
    "the long road", "a quiet river", "the northern border", "their first winter",
    "the market town", "a small notebook", "the new school", "the night train",
    "an open letter", "the mountain pass", "a shared meal", "the local records",
    "an old photograph", "news from home",
)  # fmt: skip
EN_ENDINGS = (
    "with great care", "after many months", "before the spring", "in plain words",
    "for the first time", "without a word", "at the end of the day", "despite the cold",
    "in both languages", "once again", "every evening", "with some hesitation",
)  # fmt: skip
EN_HEADINGS = (
    "Leaving home", "The crossing", "Hiding in plain sight", "A new language",
    "What the records show", "Families apart", "Looking back", "Starting again",
)  # fmt: skip

KO_SUBJECTS = (
    "가족", "기자", "탈북민", "위원회", "연구자들", "교사", "젊은 어머니", "자원봉사자들",
    "번역자", "오랜 친구", "마을 사람들", "할머니", "아이들", "활동가",
)  # fmt: skip
KO_OBJECTS = (
    "먼 길", "조용한 강", "북쪽 국경", "첫 겨울", "시장", "작은 수첩", "새 학교", "밤 기차",
    "편지", "산길", "함께한 식사", "지역 기록", "옛 사진", "고향 소식", "증언",
)  # fmt: skip
KO_PLACES = (
    "국경 근처", "작은 마을", "도시", "학교", "시장", "기차역", "사무실", "강가", "산속",
    "임시 숙소",
)  # fmt: skip
KO_TIMES = (
    "그날 아침", "오랫동안", "지난겨울", "몇 달 뒤", "처음으로", "해마다", "다시",
    "저녁마다", "봄이 오기 전에",
)  # fmt: skip
KO_ADVERBS = ("조용히", "천천히", "분명히", "함께", "꼼꼼히", "끝까지", "자주", "차분하게")
# (connective stem + 고, 합니다체 ending) of transitive verbs.
KO_VERBS = (
    ("기록하고", "기록합니다"), ("기억하고", "기억합니다"), ("설명하고", "설명합니다"),
    ("지켜보고", "지켜봅니다"), ("기다리고", "기다립니다"), ("준비하고", "준비합니다"),
    ("찾고", "찾습니다"), ("나누고", "나눕니다"), ("전하고", "전합니다"),
    ("살펴보고", "살펴봅니다"), ("읽고", "읽습니다"), ("간직하고", "간직합니다"),
)  # fmt: skip
KO_INTRANSITIVE = (
    "머뭅니다", "일합니다", "공부합니다", "쉽니다", "이야기합니다", "기다립니다", "모입니다",
)  # fmt: skip
KO_HEADINGS = (
    "집을 떠나며", "국경을 건너는 길", "숨어 지낸 시간", "새로운 언어", "기록이 보여 주는 것",
    "헤어진 가족", "돌아보며", "다시 시작하기",
)  # fmt: skip


@dataclass(frozen=True)
class Article:
    """The metadata one article shares between its English and Korean versions."""

    name: str  # file name without .md
    number: int
    date: str
    category: int  # index into the category lists
    tags: tuple[int, ...]  # indexes into the tag lists


def article_name(number: int) -> str:
    """The file name (without .md) of article `number`."""
    return f"article-{number:04d}"


def _has_final_consonant(word: str) -> bool:
    """Whether the last syllable of a Korean word ends in a consonant (batchim)."""
    last = word[-1]
    return "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 != 0


def _josa(word: str, with_final: str, without_final: str) -> str:
    """The word with the particle its last syllable takes (은/는, 이/가, 을/를, 과/와)."""
    return word + (with_final if _has_final_consonant(word) else without_final)


class _Writer:
    """Sentences, paragraphs and whole bodies in one language, from one random source."""

    headings: tuple[str, ...] = ()
    target = 0  # body size to aim at, as `measure` counts it

    def __init__(self, rng: Random):
        self.rng = rng

    def sentence(self, markup: str = "") -> str:
        """One sentence; `markup` ("em" or "strong") marks up one phrase of it."""
        raise NotImplementedError

    def link_sentence(self, target: str) -> str:
        """A sentence with a {filename} link to `target`."""
        raise NotImplementedError

    def measure(self, text: str) -> int:
        """The size of `text` in this language's unit (words, Hangul syllables)."""
        raise NotImplementedError

    def summary(self) -> str:
        """A plain-text one-sentence summary."""
        return self.sentence()

    def paragraph(self, extra: str = "") -> str:
        """Four to six sentences, with `extra` somewhere among them."""
        sentences = [self.sentence() for _ in range(self.rng.randint(4, 6))]
        if extra:
            sentences.insert(self.rng.randrange(len(sentences) + 1), extra)
        return " ".join(sentences)

    def link(self, article: Article, total: int) -> str:
        """A sentence linking to another article, relative to this one's folder."""
        if total < 2:
            return self.link_sentence("../pages/about.md")
        other = self.rng.randrange(1, total)  # any number but the article's own
        other += other >= article.number
        return self.link_sentence(f"{article_name(other)}.md")

    def body(self, article: Article, total: int) -> str:
        """An opening paragraph, then sections until the size is nearest to the target."""
        opening = f"{self.sentence('em')} {self.sentence('strong')} {self.link(article, total)}"
        blocks = [self.paragraph(opening)]
        size = self.measure(blocks[0])
        for section in itertools.count():
            new = [f"## {self.headings[section % len(self.headings)]}", self.paragraph()]
            if section == 0:
                items = [self.sentence() for _ in range(self.rng.randint(3, 5))]
                new.append("\n".join(f"- {item}" for item in items))
            elif section == 1:
                new.append(f"> {self.sentence()} {self.sentence('em')}")
            new.append(self.paragraph(self.link(article, total)))
            added = sum(self.measure(block) for block in new)
            # The list and the blockquote always; then stop where the size is nearest.
            if section > 1 and size + added - self.target > self.target - size:
                break
            blocks += new
            size += added
        return "\n\n".join(blocks) + "\n"


def _marked(phrase: str, markup: str) -> str:
    """The phrase as *emphasis* or **strong** text, or as it is."""
    return {"em": f"*{phrase}*", "strong": f"**{phrase}**"}.get(markup, phrase)


class _English(_Writer):
    headings = EN_HEADINGS
    target = EN_WORDS

    def sentence(self, markup: str = "") -> str:
        pick = self.rng.choice
        obj = _marked(pick(EN_OBJECTS), markup)
        text = f"{pick(EN_SUBJECTS)} {pick(EN_VERBS)} {obj} {pick(EN_ENDINGS)}"
        if self.rng.random() < 0.4:
            text += f", and {pick(EN_SUBJECTS)} {pick(EN_VERBS)} {pick(EN_OBJECTS)}"
        return text[0].upper() + text[1:] + "."

    def link_sentence(self, target: str) -> str:
        text = self.rng.choice(("the earlier report", "a related story", "another account"))
        return f"See [{text}]({{filename}}{target}) for more."

    def measure(self, text: str) -> int:
        return len(text.split())

    def title(self, number: int) -> str:
        return f"Report {number}: {self.rng.choice(EN_OBJECTS).capitalize()}"


class _Korean(_Writer):
    headings = KO_HEADINGS
    target = KO_HANGUL

    def sentence(self, markup: str = "") -> str:
        pick = self.rng.choice
        subject, obj2 = pick(KO_SUBJECTS), pick(KO_OBJECTS)
        stem, verb = pick(KO_VERBS)
        obj = _marked(_josa(pick(KO_OBJECTS), "을", "를"), markup)
        topic, other = _josa(subject, "은", "는"), _josa(obj2, "을", "를")
        form = self.rng.randrange(4)
        if form == 0:
            return f"{pick(KO_TIMES)} {topic} {obj} {pick(KO_ADVERBS)} {verb}."
        if form == 1:
            subject, place, verb2 = _josa(subject, "이", "가"), pick(KO_PLACES), pick(KO_VERBS)[1]
            return f"{subject} {place}에서 {obj} {stem} {other} {verb2}."
        if form == 2:
            ending = f"{pick(KO_ADVERBS)} {pick(KO_INTRANSITIVE)}"
            return f"{pick(KO_PLACES)}에서 {topic} {obj} 떠올리며 {ending}."
        return f"{topic} {obj} 통해 {other} {verb}."

    def link_sentence(self, target: str) -> str:
        text = self.rng.choice(("이전 보도", "관련 기사", "다른 증언"))
        return f"더 자세한 내용은 [{text}]({{filename}}{target})에서 읽을 수 있습니다."

    def measure(self, text: str) -> int:
        return sum("가" <= ch <= "힣" for ch in text)

    def title(self, number: int) -> str:
        return f"보고서 {number}: {self.rng.choice(KO_OBJECTS)}"


def pseudonyms_toml() -> str:
    """The corpus's pseudonym list: the bench's two names and those of the project's list."""
    names = [AUTHOR, REVIEWER]
    if PROJECT_PSEUDONYMS.is_file():
        with PROJECT_PSEUDONYMS.open("rb") as fileobj:
            names += tomllib.load(fileobj).get("pseudonyms", [])
    return f"pseudonyms = {json.dumps(list(dict.fromkeys(names)), ensure_ascii=False)}\n"


def _empty_folder(folder) -> Path:
    """Create `folder`, refusing one that already holds anything (it is never overwritten)."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise FileExistsError(f"{folder} is not empty; choose a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _header(lines: dict[str, str]) -> str:
    """A metadata header, ending with the blank line before the body."""
    return "".join(f"{key}: {value}\n" for key, value in lines.items()) + "\n"


def _translation_lines(source: str, source_text: str) -> dict[str, str]:
    """The lines linking a translation to its source, recording its review and the source it
    was synced to (without which the approval covers nothing, and it is not published)."""
    synced = Fingerprint.of_text(source_text)
    return {
        "Translation-Of": source,
        "Review": "approved",
        "Reviewer": REVIEWER,
        SOURCE_HASH: synced.digest,
        SOURCE_PARAGRAPHS: " ".join(synced.paragraphs),
    }


def generate(folder: Path, articles: int = 1000, seed: int = 0) -> Path:
    """Write a bilingual corpus of `articles` article pairs and an About page into `folder`."""
    rng = Random(seed)
    english, korean = _English(rng), _Korean(rng)
    folder = _empty_folder(folder)
    for lang in ("en", "ko"):
        (folder / lang / "articles").mkdir(parents=True)
        (folder / lang / "pages").mkdir(parents=True)
    (folder / "pseudonyms.toml").write_text(pseudonyms_toml(), encoding="utf-8")

    texts = {}  # the text of each language's version of the article being written
    for number in range(1, articles + 1):
        article = Article(
            name=article_name(number),
            number=number,
            date=(FIRST_DATE + timedelta(days=rng.randrange(1000))).isoformat(),
            category=rng.randrange(len(EN_CATEGORIES)),
            tags=tuple(rng.sample(range(len(EN_TAGS)), rng.randint(2, 3))),
        )
        for lang, writer, categories, tags in (
            ("en", english, EN_CATEGORIES, EN_TAGS),
            ("ko", korean, KO_CATEGORIES, KO_TAGS),
        ):
            header = {
                "Title": writer.title(number),
                "Date": article.date,
                "Author": AUTHOR,
                "Category": categories[article.category],
                "Tags": ", ".join(tags[index] for index in article.tags),
                "Summary": writer.summary(),
            }
            if lang == "ko":  # after English, so its source is known
                header.update(_translation_lines(f"en/articles/{article.name}.md", texts["en"]))
            texts[lang] = _header(header) + writer.body(article, articles)
            path = folder / lang / "articles" / f"{article.name}.md"
            path.write_text(texts[lang], encoding="utf-8")

    for lang, writer, title in (("en", english, "About"), ("ko", korean, "소개")):
        header = {"Title": title, "Summary": writer.summary()}
        if lang == "ko":
            header.update(_translation_lines("en/pages/about.md", texts["en"]))
        body = "\n\n".join(writer.paragraph() for _ in range(3)) + "\n"
        if articles:
            link = writer.link_sentence(f"../articles/{article_name(1)}.md")
            body = writer.paragraph(link) + "\n\n" + body
        texts[lang] = _header(header) + body
        (folder / lang / "pages" / "about.md").write_text(texts[lang], "utf-8")
    logger.info("Wrote %d articles in 2 languages into %s", articles, folder)
    return folder


def adapt_for_i18n_subsites(source: Path, target: Path) -> Path:
    """Copy a corpus with the headers pelican-i18n-subsites expects: Lang and a shared Slug."""
    source, target = Path(source), _empty_folder(target)
    dropped = tuple(f"{key}:" for key in _translation_lines("", ""))
    for path in sorted(source.glob("*/*/*.md")):
        relative = path.relative_to(source)
        lang = relative.parts[0]
        header, body = path.read_text(encoding="utf-8").split("\n\n", 1)
        lines = [line for line in header.split("\n") if not line.startswith(dropped)]
        lines += [f"Lang: {lang}", f"Slug: {path.stem}"]
        out = target / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("\n".join(lines) + "\n\n" + body, encoding="utf-8")
    return target


def main(argv=None) -> None:
    """Write a corpus from the command line: python -m bench.corpus FOLDER [--articles N]."""
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--i18n-subsites", type=Path, help="also write the adapted copy here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        generate(args.folder, args.articles, args.seed)
        if args.i18n_subsites:
            adapt_for_i18n_subsites(args.folder, args.i18n_subsites)
    except FileExistsError as exc:
        parser.error(str(exc))


if __name__ == "__main__":
    main()
