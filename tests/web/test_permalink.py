from __future__ import annotations

import pytest

from eo152.web.permalink import DamagedLink, pack, unpack


def test_a_situation_survives_its_link():
    situation = {"location": {"kind": "park"}, "surge": True, "injuries": []}
    assert unpack(pack(situation)) == situation


def test_a_link_holds_only_url_safe_characters():
    packed = pack({"location": {"kind": "park"}, "protest": {"present": True}})
    assert packed.replace("-", "").replace("_", "").isalnum()


@pytest.mark.parametrize("packed", ["", "not base64!", pack([]), "A" * 9000, "bm90IGpzb24"])
def test_a_damaged_link_is_refused(packed):
    with pytest.raises(DamagedLink):
        unpack(packed)
