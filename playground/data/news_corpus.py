"""A built-in, generated news corpus in AG_NEWS's four topics.

Real AG_NEWS cannot be downloaded at run time, so the lessons ship this instead:
headlines assembled from topic word lists and templates by a fixed-seed generator,
identical on every machine. To make it a real classification problem (high accuracy,
never 100%), some slots draw from words two topics share ("market", "court",
"players", "oil") and a slice of headlines use only topic-neutral wording.
"""
from __future__ import annotations

import random
from functools import lru_cache

N_HEADLINES = 6000
CORPUS_SEED = 20_240_601
AMBIGUOUS_SLOT = 0.25   # chance a slot takes a word shared with another topic
NEUTRAL_HEADLINE = 0.08  # chance a headline carries no topic words at all

_WORDS = {
    0: {  # World
        "who": ["the prime minister", "rebels", "the president", "the UN envoy", "protesters",
                "the foreign minister", "troops", "the parliament", "peacekeepers", "refugees",
                "the opposition leader", "diplomats", "the army", "NATO", "the ambassador"],
        "where": ["Iraq", "Gaza", "Sudan", "Kabul", "Moscow", "Tehran", "Ukraine", "Haiti",
                  "Beirut", "Kashmir", "Darfur", "Baghdad", "Nigeria", "Venezuela", "Syria"],
        "verb": ["condemns", "seize", "sign ceasefire with", "flee", "hold elections in",
                 "withdraw from", "bomb", "negotiate with", "accuse", "impose curfew in"],
        "thing": ["ceasefire", "election", "border", "hostages", "sanctions", "summit", "coup",
                  "militants", "embassy", "referendum", "insurgents", "treaty"],
    },
    1: {  # Sports
        "who": ["the Yankees", "Federer", "the Red Sox", "Manchester United", "the Lakers",
                "Tiger Woods", "the Patriots", "Real Madrid", "the coach", "the quarterback",
                "the striker", "Serena Williams", "the Olympic team", "the goalkeeper"],
        "where": ["Wimbledon", "the Super Bowl", "the World Cup", "Athens", "the playoffs",
                  "the Masters", "the NBA finals", "Fenway", "the Grand Prix", "the stadium"],
        "verb": ["beat", "defeat", "rally past", "edge", "draw with", "sign", "trade",
                 "crush", "knock out", "upset"],
        "thing": ["touchdown", "championship", "medal", "homer", "inning", "tournament",
                  "quarterfinal", "season opener", "hat trick", "penalty", "title", "league"],
    },
    2: {  # Business
        "who": ["shareholders", "the Fed", "investors", "Wall Street", "the retailer",
                "the airline", "the bank", "analysts", "the automaker", "the CEO", "traders",
                "the insurer", "regulators", "the Treasury"],
        "where": ["the Nasdaq", "the Dow", "the bond market", "Tokyo stocks", "the euro zone",
                  "the housing market", "retail sales", "the dollar", "Fannie Mae", "Kmart"],
        "verb": ["acquires", "cuts jobs at", "raises rates on", "posts profit at", "merges with",
                 "sells stake in", "files for bankruptcy over", "boosts dividend at",
                 "lowers forecast for", "buys"],
        "thing": ["earnings", "quarterly profit", "shares", "interest rates", "merger",
                  "revenue", "inflation", "stocks", "dividend", "bankruptcy", "layoffs",
                  "takeover bid"],
    },
    3: {  # Sci/Tech
        "who": ["NASA", "Microsoft", "Google", "researchers", "scientists", "IBM",
                "astronomers", "Intel", "hackers", "the software maker", "Linux developers",
                "engineers", "the space agency", "Sun Microsystems"],
        "where": ["Mars", "the space station", "the Internet", "Windows", "the genome",
                  "the laboratory", "orbit", "Silicon Valley", "the browser", "the cloud"],
        "verb": ["launch", "patch", "unveil", "discover", "release", "upgrade", "hack",
                 "test", "clone", "debug"],
        "thing": ["software", "chip", "spacecraft", "virus", "broadband", "satellite",
                  "processor", "spam", "search engine", "telescope", "robot", "wireless"],
    },
}

# Words at home in two topics: a headline using them is genuinely harder to place.
_SHARED = {
    0: ["oil", "talks", "court", "China", "crisis", "deal", "leaders"],
    1: ["record", "players", "court", "champion", "contract", "fans", "league"],
    2: ["oil", "market", "deal", "China", "record", "Apple", "contract", "crisis"],
    3: ["market", "players", "Apple", "network", "fans", "game", "network"],
}
_NEUTRAL = ["officials", "report", "new", "plans", "week", "says", "update", "latest",
            "sources", "announce", "questions", "future", "change", "growth", "review"]

_TITLES = [
    "{who} {verb} {where}",
    "{who} {verb} {thing} in {where}",
    "{thing} {shared} as {who} {verb} {where}",
    "{who} says {thing} will {neutral_verb}",
    "{where}: {who} {verb} {shared} {thing}",
    "{shared} {thing} worries {who}",
]
_DESCRIPTIONS = [
    "{neutral} on the {thing} came on {day}, {who} said.",
    "The {thing} in {where} {neutral} after {who} {verb} rivals.",
    "{who} expect more {shared} news, {neutral} say.",
    "",
]
_NEUTRAL_VERBS = ["slow", "grow", "change", "continue", "stall", "recover", "wait"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_NEUTRAL_TITLES = [
    "{n1} {n2} amid {n3}",
    "{n1}: {n2} {n3} this week",
    "{n1} {n2} {n3} on {day}",
]


def _slot(rng: random.Random, topic: int, kind: str) -> str:
    if kind != "who" and rng.random() < AMBIGUOUS_SLOT:
        return rng.choice(_SHARED[topic])
    return rng.choice(_WORDS[topic][kind])


def _headline(rng: random.Random, topic: int) -> str:
    if rng.random() < NEUTRAL_HEADLINE:
        n = rng.sample(_NEUTRAL, 3)
        return rng.choice(_NEUTRAL_TITLES).format(n1=n[0].capitalize(), n2=n[1], n3=n[2],
                                                  day=rng.choice(_DAYS))
    fill = {k: _slot(rng, topic, k) for k in ("who", "where", "verb", "thing")}
    fill.update(shared=rng.choice(_SHARED[topic]), neutral=rng.choice(_NEUTRAL),
                neutral_verb=rng.choice(_NEUTRAL_VERBS), day=rng.choice(_DAYS))
    title = rng.choice(_TITLES).format(**fill)
    fill.update({k: _slot(rng, topic, k) for k in ("who", "where", "thing")})
    description = rng.choice(_DESCRIPTIONS).format(**fill)
    return f"{_capital(title)}. {_capital(description)}".strip()


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


@lru_cache(maxsize=1)
def generated_corpus(n: int = N_HEADLINES) -> tuple[tuple[int, str], ...]:
    """(class 0–3, text) pairs, balanced over topics; the same on every call and machine."""
    rng = random.Random(CORPUS_SEED)
    return tuple((i % 4, _headline(rng, i % 4)) for i in range(n))
