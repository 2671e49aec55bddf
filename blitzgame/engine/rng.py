"""Counter-based random numbers: a draw is a hash of (seed, game, quarter, lab, stream).

``game_key(seed, game)`` -> ``quarter_key(key, quarter)`` -> ``uniform(qkey, lab, stream)``.

Nothing is carried from draw to draw, so a result never depends on how games are
batched, split across threads, or replayed from a save. The arithmetic stays in
32-bit words inside 64-bit integers so that compiled code (wrapping int64) and
interpreted code (exact Python ints) give the same bits.
"""

from blitzgame.engine.jit import kernel

_MASK = 0xFFFFFFFF
_TO_UNIT = 1.0 / 4294967296.0

# streams: one per kind of draw, so adding a draw never shifts another
STREAM_TRAIN = 1
STREAM_TRAIN_GAIN = 2
STREAM_EVENT = 3
STREAM_HEAT = 4
STREAM_MUSIC = 5
STREAM_REGIME = 6
STREAM_EXPORT = 7
STREAM_POLICY = 8  # for bots that want noise of their own
WORLD_LAB = 255  # the "lab" index of world-level draws
# A key at or above FIXED_LUCK is not hashed: its draws are fixed, so the orders forecast can
# try every side of every chance (``fixed_luck``). A game's keys are 32-bit words and never reach it.
FIXED_LUCK = 1 << 32
LUCK_LOW = 0.0
LUCK_HIGH = 1.0 - 1.0 / 16777216.0
_SLICE_BITS = 24  # a fixed key's low 24 bits: the draw of the sliced streams; the 8 above: the others, low or high
_APART_SHIFT = 33  # its bits from 33 up: 1 + the lab whose draws take the other side from everyone's (0: none)


def fixed_luck(high_streams: int, sliced: float, apart: int = -1) -> int:
    """The key whose every draw is fixed: a stream whose bit (``1 << stream``) is set in
    ``high_streams`` draws LUCK_HIGH, any other LUCK_LOW, except the sliced streams (a heatwave's
    hub, the endgame), which draw ``sliced`` (in [0, 1), to 24 bits). Lab ``apart`` (if 0 or more)
    draws the other side of every stream that is not sliced: its run fails where the others' succeed."""
    field = min(max(int(sliced * 16777216.0), 0), 16777215)
    return FIXED_LUCK + ((apart + 1) << _APART_SHIFT) + ((high_streams & 0xFF) << _SLICE_BITS) + field


@kernel
def _fmix32(h):
    """MurmurHash3's finaliser: every input bit flips every output bit half the time."""
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _MASK
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _MASK
    h ^= h >> 16
    return h


@kernel
def game_key(seed, game):
    """The 32-bit key of one game: seed is 0..2**63-1, game a small non-negative id."""
    seed = int(seed)
    h = _fmix32((seed & _MASK) ^ 0x9E3779B9)
    h = _fmix32(h ^ ((seed >> 32) & _MASK))
    return _fmix32(h ^ (int(game) & _MASK))


@kernel
def quarter_key(key, quarter):
    """The key of one quarter of one game: hashed once, then shared by every draw in it
    (a FIXED_LUCK key is kept as it is)."""
    if key >= FIXED_LUCK:
        return key
    return _fmix32(int(key) ^ ((int(quarter) * 0x9E3779B1) & _MASK))


@kernel
def uniform(qkey, lab, stream):
    """A float in [0, 1) fixed by the quarter key, the lab (or WORLD_LAB) and the stream."""
    if qkey >= FIXED_LUCK:
        field = qkey - FIXED_LUCK
        if stream == STREAM_HEAT or stream == STREAM_REGIME:
            return (field & 16777215) / 16777216.0
        high = (field >> (_SLICE_BITS + (int(stream) & 7))) & 1
        if (field >> _APART_SHIFT) == int(lab) + 1:
            high = 1 - high
        return LUCK_HIGH if high else LUCK_LOW
    return _fmix32(qkey ^ (int(lab) * 256 + int(stream))) * _TO_UNIT
