"""CIELAB and the CIEDE2000 colour difference, in pure Python: how far apart two colours look
to a person, which RGB distance does not tell (two teals 16 units apart look alike, a yellow
and a white 16 units apart do not)."""

import math

RGB = tuple[int, int, int]
Lab = tuple[float, float, float]

#: D65 white, the reference of sRGB.
_WHITE = (0.95047, 1.0, 1.08883)


def hex_to_rgb(colour: str) -> RGB:
    """``#rrggbb`` as three ints 0..255."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def rgb_to_hex(rgb: tuple[float, float, float]) -> str:
    """Rounded and clamped to 0..255, lower case like the store's colours."""
    r, g, b = (max(0, min(255, round(c))) for c in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"


def to_linear(channel: float) -> float:
    """One sRGB channel (0..1) to linear light."""
    if channel <= 0.04045:
        return channel / 12.92
    return float(((channel + 0.055) / 1.055) ** 2.4)


def from_linear(value: float) -> float:
    """Linear light (clamped to 0..1) back to an sRGB channel 0..1."""
    value = max(0.0, min(1.0, value))
    if value <= 0.0031308:
        return value * 12.92
    return float(1.055 * value ** (1 / 2.4) - 0.055)


def linear_to_lab(r: float, g: float, b: float) -> Lab:
    """Linear sRGB (0..1) to CIELAB under D65."""
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / _WHITE[0]
    y = (0.2126729 * r + 0.7151522 * g + 0.0721750 * b) / _WHITE[1]
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / _WHITE[2]

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def rgb_to_lab(rgb: RGB) -> Lab:
    r, g, b = (to_linear(c / 255) for c in rgb)
    return linear_to_lab(r, g, b)


def ciede2000(lab1: Lab, lab2: Lab) -> float:
    """ΔE00 (Sharma, Wu and Dalal 2005): about 1 is the smallest difference one notices,
    above 10 two colours read as different at a glance."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar**7 / (c_bar**7 + 25.0**7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = l2 - l1, c2p - c1p
    dh = 0.0
    if c1p * c2p:
        dh = h2p - h1p
        if dh > 180:
            dh -= 360
        elif dh < -180:
            dh += 360
    dhp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    h_bar = h1p + h2p
    if c1p * c2p:
        if abs(h1p - h2p) <= 180:
            h_bar /= 2
        else:
            h_bar = (h_bar + 360) / 2 if h_bar < 360 else (h_bar - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_bar - 30))
        + 0.24 * math.cos(math.radians(2 * h_bar))
        + 0.32 * math.cos(math.radians(3 * h_bar + 6))
        - 0.20 * math.cos(math.radians(4 * h_bar - 63))
    )
    sl = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    sc = 1 + 0.045 * cp_bar
    sh = 1 + 0.015 * cp_bar * t
    rt = (
        -2
        * math.sqrt(cp_bar**7 / (cp_bar**7 + 25.0**7))
        * math.sin(math.radians(60 * math.exp(-(((h_bar - 275) / 25) ** 2))))
    )
    return math.sqrt(
        (dl / sl) ** 2 + (dc / sc) ** 2 + (dhp / sh) ** 2 + rt * (dc / sc) * (dhp / sh)
    )
