"""A larger corpus made from sample_data: numbers, names and sentence order varied.

`make_corpus(folder, n)` writes n article files. Article i is sample file i % 5 with its numbers
scaled or kept (so some facts agree across articles and some conflict), its people and places
swapped from small pools, and the sentences of each body paragraph shuffled. Seeded: the same n
gives the same files on any machine.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"

PEOPLE = [
    ("Vladimir Putin", ["Anna Petrova", "Igor Sokolov", "Dmitry Orlov", "Elena Volkova"]),
    ("Volodymyr Zelenskyy", ["Oksana Melnyk", "Taras Bondar", "Iryna Kovalenko"]),
    ("Donald Trump", ["Mark Ellison", "Susan Hart", "Paul Reyes"]),
    ("Kirill Dmitriev", ["Oleg Markov", "Pavel Ivanov"]),
    ("Oleksandr Syrskyi", ["Andriy Hrytsenko", "Mykola Shevchuk"]),
]
PLACES = [
    ("Kursk", ["Belgorod", "Bryansk", "Oryol"]),
    ("Kherson", ["Mykolaiv", "Odesa", "Dnipro"]),
    ("Finland", ["Estonia", "Latvia", "Norway"]),
    ("Pokrovsk", ["Kramatorsk", "Sloviansk", "Toretsk"]),
]
NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w])")
SENTENCE_END = re.compile(r"(?<=[.!?”])\s+(?=[A-Z“])")


def _vary_numbers(text: str, rng: random.Random) -> str:
    def swap(match: re.Match) -> str:
        raw = match.group(1)
        plain = raw.replace(",", "")
        value = float(plain)
        if 1900 <= value <= 2100 and "," not in raw:  # a year: keep
            return raw
        if rng.random() < 0.6:  # most figures agree with the source story
            return raw
        new = value * rng.choice([0.8, 0.9, 1.1, 1.25, 1.5])
        if "." in plain:
            return f"{new:.{len(plain.split('.')[1])}f}"
        new_int = max(1, round(new))
        return f"{new_int:,}" if "," in raw else str(new_int)

    return NUMBER.sub(swap, text)


def _vary_names(text: str, rng: random.Random) -> str:
    for original, pool in PEOPLE + PLACES:
        if rng.random() < 0.3:
            replacement = rng.choice(pool)
            text = text.replace(original, replacement)
            last, new_last = original.split()[-1], replacement.split()[-1]
            text = re.sub(rf"\b{re.escape(last)}\b", new_last, text)
    return text


def _shuffle_sentences(paragraph: str, rng: random.Random) -> str:
    sentences = SENTENCE_END.split(paragraph)
    if len(sentences) > 2:
        rng.shuffle(sentences)
    return " ".join(sentences)


def vary(text: str, seed: int) -> str:
    rng = random.Random(seed)
    lines = text.split("\n")
    head, body = lines[:1], lines[1:]
    body = [_shuffle_sentences(line, rng) if len(line) > 200 else line for line in body]
    return _vary_names(_vary_numbers("\n".join(head + body), rng), rng)


def make_corpus(folder: Path, n: int, parts: int = 1) -> list[Path]:
    """Write n varied articles into `folder` (created); returns their paths.

    With parts=2 each article is two varied sample articles run together (about 25 claims
    an article instead of 14), for the 2,000-article / 50,000-claim store and screen goals.
    """
    folder.mkdir(parents=True, exist_ok=True)
    samples = sorted(SAMPLE_DIR.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in samples]
    paths = []
    for i in range(n):
        base = i % len(texts)
        path = folder / f"{i:05d}_{samples[base].stem[:3]}.txt"
        if parts == 1 and i < len(texts):
            text = texts[base]
        else:
            pieces = [vary(texts[(base + k) % len(texts)], seed=i * parts + k) for k in range(parts)]
            text = "\n".join(pieces)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
