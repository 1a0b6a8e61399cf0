"""The sample's invented people: unique names, phone numbers and ID numbers with valid checksums, and its villages.

Nothing here comes from a real person: names are drawn from surname and given-name character lists, ID numbers
and phones are generated from the seeded random generator.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from generator.contract.values import id_check_char

AREA_CODE = "513099"
SURNAMES = "柏甘简车祁骆闵聂计邝隋甄裘詹蔺阙宓鞠芮邬竺訾翟蒯郜缪卞应舒牧栾俞解匡班荀幸郗戚".replace("", " ").split()
GIVEN = "望舒雨桐怀瑾清和远帆若川冬晴思源承砚知岚听澜星沅聿修绍钧嘉禾慕言亦棠书昀玄朗辰逸启铭景曜牧歌霁月明煦"
VILLAGE_HEADS = ("青石", "柳河", "杏林", "北坪", "槐荫", "枫岭", "松溪", "梅坞", "竹岗", "荷塘", "兰亭", "桂丛", "桃源", "栗园")
VILLAGE_TAILS = ("村", "村", "社区", "村")


def pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    """One of the values, drawn by weight."""
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


@dataclass
class People:
    """Unique invented names and phone numbers."""

    rng: random.Random
    names: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)

    def name(self, surname: str | None = None) -> str:
        while True:
            candidate = (surname or self.rng.choice(SURNAMES)) + "".join(self.rng.sample(GIVEN, 2))
            if candidate not in self.names:
                self.names.add(candidate)
                return candidate

    def phone(self) -> str:
        while True:
            candidate = f"1{self.rng.choice('35789')}{self.rng.randrange(10**9):09d}"
            if candidate not in self.phones:
                self.phones.add(candidate)
                return candidate

    def id_number(self, born: date, male: bool) -> str:
        while True:
            seq = self.rng.randrange(500) * 2 + (1 if male else 0)
            first17 = f"{AREA_CODE}{born:%Y%m%d}{seq:03d}"
            if first17 not in self.ids:
                self.ids.add(first17)
                return first17 + id_check_char(first17)


def villages_for(patients: int) -> list[str]:
    count = max(4, min(len(VILLAGE_HEADS) * len(VILLAGE_TAILS), round(patients / 12)))
    names = [head + tail for tail in ("村", "社区") for head in VILLAGE_HEADS]
    return names[:count] if count <= len(names) else names
