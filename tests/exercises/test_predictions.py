"""The answers revealed after each "Predict, then move the slider" prompt (issue 13): numbers
recomputed here from the cited inputs (Bershad 1992 §2, §2.1, §3; Maeda & Bershad 1992 Table 1,
§2.2), collapsed in the notebook, and every prompt of notebooks 00-05 has one."""

import re
from pathlib import Path

import pytest

from ipcmodel.data import fact
from ipcmodel.exercises.predictions import PROMPTS, numbers, reveal

ROOT = Path(__file__).resolve().parents[2]


def v(fid):
    return fact(fid).value


def test_00_master_numbers():
    n = numbers("00", "master")
    udp = v("mb92-udp-rtt-mach25") * 1000
    assert n["udp_pct"] == pytest.approx(100 * (57 - 8) / (57 + udp))           # DS5000/200, §2
    assert n["fast_pct"] == pytest.approx(100 * 49 / (57 + udp / 100))
    assert n["fast_ratio"] < 100                                                   # "less than"
    assert n["quarter_us"] == pytest.approx((4096 + 2048) / 16 * 0.25 * 15 / 25)   # §3, 16-byte lines
    assert n["udp_case_pct"] == pytest.approx(100 * 8 * 340 / (8 * 370 + 4560))    # M&B §2.2
    # (c): the service's 384 lines all missing (IPC path warm, one crossing); the microkernel's
    # service misses k x the monolithic's: k = 1 falls, k = 3 (Chen & Bershad 1993 §3, high end) rises
    def loc(pen):
        return 384 * pen / 25
    assert n["same_lo"] == pytest.approx(100 * 49 / (57 + loc(15) + udp))
    assert n["k_100"] == pytest.approx(100 * (49 + 2 * loc(100)) / (57 + 3 * loc(100) + udp))
    assert n["same_lo"] > n["same_100"] and n["k_lo"] < n["k_100"]
    assert n["user_ms"] < n["udp_ms"] < n["unix_ms"]                                # M&B Tables 1, 3


def test_01_numbers():
    n = numbers("01", "processor-curve")
    assert n["rpc_k"] == pytest.approx(v("b92-rpc-cvax-1992") / v("b92-rating-ds5000-vs-cvax"))
    assert n["wire"] == pytest.approx(512 * 8 / 10)                                 # 512 bytes at 10 Mb/s
    t = numbers("01", "traps")
    rpc, sc = v("b92-rpc-cvax-1992"), v("b92-syscall-cvax")
    p = 1 - sc / rpc
    assert t["ratio_k"] == pytest.approx(rpc * (p / 10 + 1 - p) / (sc * (0.5 / 10 + 0.5)))
    assert t["gap_floor"] == pytest.approx(sc / 2)


def test_02_to_05_numbers():
    assert numbers("02", "dma")["purge_star"] == pytest.approx(70 * 50 / 128 - 16)   # HP-700, §3
    assert numbers("02", "cold-path")["lines_2x"] == pytest.approx(192)
    assert numbers("03", "x11")["socket"] == pytest.approx(1.25)
    assert numbers("04", "emulation")["cvax_avg"] == pytest.approx(60 + 497 / 3)      # §5: 2 of 3 local
    assert numbers("04", "protocol")["unexplained_ms"] == pytest.approx(19.5 - 4.8 - (4 * 430 + 2 * 500) / 1000)
    m = numbers("05", "regime-map")
    udp = v("mb92-udp-rtt-mach25") * 1000
    d_max = 0.05 * (8 + udp) / 0.95                                                  # max extra at 5%
    assert m["cross_penalty"] == pytest.approx((d_max + 8 - 57) / (384 * 0.5 / 25))


@pytest.mark.parametrize("key", sorted(PROMPTS))
def test_every_reveal_renders_collapsed(key):
    r = reveal(*key)
    html = r._repr_html_()
    assert html.startswith("<details><summary>") and html.endswith("</details>")
    assert "{" not in r.text and r.title in str(r)


def test_every_predict_prompt_has_its_reveal_after_the_explorer():
    for src in sorted((ROOT / "notebooks" / "src").glob("0[0-5]_*.md")):
        text = src.read_text(encoding="utf-8")
        prompts = len(re.findall(r"Predict, then move the slider", text))
        reveals = re.findall(r'reveal\("(\d\d)", "([\w-]+)"\)', text)
        assert len(reveals) == prompts, src.name
        assert all((nb, name) in PROMPTS and nb == src.name[:2] for nb, name in reveals)


def test_unknown_prompt():
    with pytest.raises(ValueError, match="prompt"):
        numbers("00", "nope")
