"""Block Kit checks of the stand-in."""

from __future__ import annotations

from typing import Any

from app.sandbox.standin.common import MAX_VIEW_BLOCKS

# ("[ERROR] <what> [json-pointer:/blocks/0/text/text]").
# ----------------------------------------------------------------------------------------------------------


def _check_text(obj: Any, ptr: str, max_len: int, plain_only: bool = False) -> list[str]:
    if not isinstance(obj, dict) or obj.get("type") not in ("plain_text", "mrkdwn"):
        return [f"[ERROR] must be a text object [json-pointer:{ptr}]"]
    if plain_only and obj["type"] != "plain_text":
        return [f"[ERROR] must be a plain_text object [json-pointer:{ptr}/type]"]
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        return [f"[ERROR] must be more than 0 characters [json-pointer:{ptr}/text]"]
    if len(text) > max_len:
        return [f"[ERROR] must be less than {max_len + 1} characters [json-pointer:{ptr}/text]"]
    return []


def _check_element(el: Any, ptr: str) -> list[str]:
    if not isinstance(el, dict) or not isinstance(el.get("type"), str):
        return [f"[ERROR] missing required field: type [json-pointer:{ptr}]"]
    errors: list[str] = []
    if len(str(el.get("action_id", ""))) > 255:
        errors.append(f"[ERROR] must be less than 256 characters [json-pointer:{ptr}/action_id]")
    if el["type"] == "button":
        errors += _check_text(el.get("text"), f"{ptr}/text", 75, plain_only=True)
        if len(str(el.get("value", ""))) > 2000:
            errors.append(f"[ERROR] must be less than 2001 characters [json-pointer:{ptr}/value]")
        if len(str(el.get("url", ""))) > 3000:
            errors.append(f"[ERROR] must be less than 3001 characters [json-pointer:{ptr}/url]")
    options = el.get("options")
    if options is not None:
        if not isinstance(options, list) or len(options) > 100:
            errors.append(f"[ERROR] no more than 100 items allowed [json-pointer:{ptr}/options]")
        else:
            for i, opt in enumerate(options):
                op = f"{ptr}/options/{i}"
                errors += _check_text(opt.get("text") if isinstance(opt, dict) else None, f"{op}/text", 75)
                if isinstance(opt, dict) and len(str(opt.get("value", ""))) > 150:
                    errors.append(f"[ERROR] must be less than 151 characters [json-pointer:{op}/value]")
    return errors


def _check_block(block: Any, ptr: str) -> list[str]:
    if not isinstance(block, dict) or not isinstance(block.get("type"), str):
        return [f"[ERROR] missing required field: type [json-pointer:{ptr}]"]
    kind = block["type"]
    errors: list[str] = []
    if len(str(block.get("block_id", ""))) > 255:
        errors.append(f"[ERROR] must be less than 256 characters [json-pointer:{ptr}/block_id]")
    if kind == "section":
        if "text" not in block and "fields" not in block:
            errors.append(f"[ERROR] must provide either text or fields [json-pointer:{ptr}]")
        if "text" in block:
            errors += _check_text(block["text"], f"{ptr}/text", 3000)
        fields = block.get("fields")
        if fields is not None:
            if not isinstance(fields, list) or len(fields) > 10:
                errors.append(f"[ERROR] no more than 10 items allowed [json-pointer:{ptr}/fields]")
            else:
                for i, f in enumerate(fields):
                    errors += _check_text(f, f"{ptr}/fields/{i}", 2000)
        if "accessory" in block:
            errors += _check_element(block["accessory"], f"{ptr}/accessory")
    elif kind == "header":
        errors += _check_text(block.get("text"), f"{ptr}/text", 150, plain_only=True)
    elif kind in ("actions", "context"):
        limit = 25 if kind == "actions" else 10
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements or len(elements) > limit:
            errors.append(f"[ERROR] must provide 1 to {limit} items [json-pointer:{ptr}/elements]")
        elif kind == "actions":
            for i, el in enumerate(elements):
                errors += _check_element(el, f"{ptr}/elements/{i}")
    elif kind == "input":
        errors += _check_text(block.get("label"), f"{ptr}/label", 2000, plain_only=True)
        if "element" not in block:
            errors.append(f"[ERROR] missing required field: element [json-pointer:{ptr}]")
        else:
            errors += _check_element(block["element"], f"{ptr}/element")
    return errors


def check_blocks(blocks: Any, limit: int, ptr: str = "/blocks") -> list[str]:
    """Slack-worded problems with a list of blocks (empty list when it is fine)."""
    if not isinstance(blocks, list):
        return [f"[ERROR] must be an array [json-pointer:{ptr}]"]
    if len(blocks) > limit:
        return [f"[ERROR] no more than {limit} items allowed [json-pointer:{ptr}]"]
    errors: list[str] = []
    seen: set[str] = set()
    for i, block in enumerate(blocks):
        errors += _check_block(block, f"{ptr}/{i}")
        block_id = block.get("block_id") if isinstance(block, dict) else None
        if block_id is not None:
            if block_id in seen:
                errors.append(f"[ERROR] duplicate block_id: {block_id} [json-pointer:{ptr}/{i}/block_id]")
            seen.add(block_id)
    return errors


def check_view(view: Any, *, surface: str) -> list[str]:
    """Slack-worded problems with a view for views.open/update ("modal") or views.publish ("home")."""
    if not isinstance(view, dict):
        return ["[ERROR] must provide an object [json-pointer:/view]"]
    kind = view.get("type")
    allowed = ("home",) if surface == "home" else ("modal", "home")
    if kind not in allowed:
        return [f"[ERROR] must be one of {', '.join(allowed)} [json-pointer:/view/type]"]
    errors: list[str] = []
    if kind == "modal":
        errors += _check_text(view.get("title"), "/view/title", 24, plain_only=True)
        for key in ("submit", "close"):
            if view.get(key) is not None:
                errors += _check_text(view[key], f"/view/{key}", 24, plain_only=True)
        blocks = view.get("blocks") or []
        if any(isinstance(b, dict) and b.get("type") == "input" for b in blocks) and not view.get("submit"):
            errors.append(
                "[ERROR] must provide a submit property when using input blocks [json-pointer:/view]"
            )
    if "blocks" not in view:
        errors.append("[ERROR] missing required field: blocks [json-pointer:/view]")
    else:
        errors += check_blocks(view["blocks"], MAX_VIEW_BLOCKS, "/view/blocks")
    if len(str(view.get("private_metadata", ""))) > 3000:
        errors.append("[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]")
    for key in ("callback_id", "external_id"):
        if len(str(view.get(key, ""))) > 255:
            errors.append(f"[ERROR] must be less than 256 characters [json-pointer:/view/{key}]")
    return errors
