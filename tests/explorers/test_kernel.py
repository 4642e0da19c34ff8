"""The master explorer inside a real Jupyter kernel (nbclient): it redraws, and nothing leaks.

The inline backend re-emits any pyplot figure at the end of each cell; an explorer whose figure
leaked into pyplot would show up as an image/png in the plain cells below it.
"""

import nbformat
import pytest
from kernels import ipc_kernel_config

nbclient = pytest.importorskip("nbclient")

CELLS = [
    # 0: create and display
    "import hashlib\n"
    "from ipcmodel.explorers.service import master_explorer\n"
    "ex = master_explorer()\n"
    "display(ex)",
    # 1: a plain cell
    "print('plain cell')",
    # 2: the picture before the move
    "print('before', hashlib.sha256(ex.image.value).hexdigest(), ex.update_count)",
    # 3: a slider move, exactly as a drag sets it
    "ex.sliders['device_us'].value = 10",
    # 4: the picture after the move
    "print('after', hashlib.sha256(ex.image.value).hexdigest(), ex.update_count)\n"
    "print('reading', ex.reading())\n"
    "import matplotlib.pyplot as plt\n"
    "print('pyplot figures', len(plt.get_fignums()))",
]


@pytest.mark.slow
def test_master_explorer_in_a_kernel(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    client = nbclient.NotebookClient(nb, timeout=180, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}},
                                     config=ipc_kernel_config())
    client.execute()
    nbformat.write(nb, tmp_path / "explorer.ipynb")
    outputs = [cell.outputs for cell in nb.cells]

    shown = [o for o in outputs[0] if o["output_type"] == "display_data"]
    assert len(shown) == 1
    data = shown[0]["data"]
    assert {"application/vnd.jupyter.widget-view+json", "image/png", "text/plain"} <= set(data)
    assert "IPC adds" in data["text/plain"]

    def printed(i):
        return "".join(o.get("text", "") for o in outputs[i] if o["output_type"] == "stream")

    before, count_before = printed(2).split()[1:3]
    after_line = printed(4).splitlines()[0].split()
    after, count_after = after_line[1:3]
    assert after != before  # new PNG bytes in the explorer's image
    assert int(count_after) == int(count_before) + 1
    assert "10 µs service" in printed(4)
    assert "pyplot figures 0" in printed(4)

    # nothing leaked: no other cell got an image, and no cell an error
    for i, outs in enumerate(outputs):
        assert not any(o["output_type"] == "error" for o in outs), (i, outs)
        if i != 0:
            assert not any("image/png" in o.get("data", {}) for o in outs), (i, outs)
