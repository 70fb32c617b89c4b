"""Workbooks saved by LibreOffice as a clerk saves them: through a Basic macro run headless in a
private profile, so the view (the sheet the workbook opens on) is written, which a plain
``--convert-to`` leaves out of an .ods, and a password can be set."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from tests.support.tools import require_tool

FILTERS = {"xls": "MS Excel 97", "ods": "calc8", "xlsx": "Calc MS Excel 2007 XML"}

# Loaded visible (a hidden document has no view to save), stored under the filter, with the
# password when one is given. ("Save" would clash with a Basic built-in and hang LibreOffice.)
_MODULE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1"
 script:language="StarBasic">
Sub StoreCopy(source As String, target As String, filterName As String, secret As String)
  Dim load(0) As New com.sun.star.beans.PropertyValue
  load(0).Name = "Hidden"
  load(0).Value = False
  document = StarDesktop.loadComponentFromURL(source, "_blank", 0, load())
  Dim plain(0) As New com.sun.star.beans.PropertyValue
  plain(0).Name = "FilterName"
  plain(0).Value = filterName
  Dim locked(1) As New com.sun.star.beans.PropertyValue
  locked(0).Name = "FilterName"
  locked(0).Value = filterName
  locked(1).Name = "Password"
  locked(1).Value = secret
  If secret = "" Then
    document.storeToURL(target, plain())
  Else
    document.storeToURL(target, locked())
  End If
  document.close(True)
End Sub
</script:module>
"""


def _run(command: list[str], timeout: float) -> None:
    """Run LibreOffice in its own process group, killed whole if it outlives ``timeout`` (a
    macro error opens a dialog nobody can close)."""
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise


def save_copy(document: Path, target: Path, password: str = "", timeout: float = 180) -> Path:
    """``document`` saved by LibreOffice as ``target`` (its extension picks the format: xls, ods
    or xlsx), with ``password`` to open it when one is given."""
    soffice = require_tool("soffice")["soffice"]
    profile = (target.parent / ".lo-macro-profile").resolve()
    environment = f"-env:UserInstallation={profile.as_uri()}"
    module = profile / "user" / "basic" / "Standard" / "Module1.xba"
    if not module.exists():  # the first start writes the profile (and its empty Module1)
        _run([soffice, environment, "--headless", "--norestore", "--terminate_after_init"], timeout)
    module.write_text(_MODULE, encoding="utf-8")
    arguments = ",".join(
        f'"{value}"'
        for value in (
            document.resolve().as_uri(),
            target.resolve().as_uri(),
            FILTERS[target.suffix.lstrip(".")],
            password,
        )
    )
    call = f"macro:///Standard.Module1.StoreCopy({arguments})"
    _run([soffice, environment, "--headless", "--norestore", call], timeout)
    assert target.exists(), f"LibreOffice wrote no {target.name} from {document.name}"
    return target
