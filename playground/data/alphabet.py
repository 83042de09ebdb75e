"""The makemore alphabet: '.' (start and end of a name) and the letters a–z."""
from __future__ import annotations

ITOS = "." + "abcdefghijklmnopqrstuvwxyz"   # index -> symbol; '.' marks start and end
STOI = {c: i for i, c in enumerate(ITOS)}   # symbol -> index
N_SYMBOLS = len(ITOS)                       # 27: the names model's input and output size
