"""Field-level differences between two versions of a report's content (plain JSON values).

Used for the history of saves and by the review workflow to show what changed between
submissions. Paths are dotted: "figures.results.0.online", "narrative.cong-khai.text".
"""

from collections.abc import Mapping, Sequence
from copy import deepcopy
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    path: str
    old: Any
    new: Any

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "old": self.old, "new": self.new}


def _same(old: Any, new: Any) -> bool:
    # JSON does not distinguish 100 from 100.0, but True is not 1.
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    if isinstance(old, int | float) and isinstance(new, int | float):
        return old == new
    return type(old) is type(new) and old == new


def _is_list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def _walk(old: Any, new: Any, path: str, out: list[Change]) -> None:
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        # The new side's order first: content stored in PostgreSQL's jsonb comes back with its keys
        # reordered, while the new content is built in the code's own order.
        keys = list(new)
        keys += [key for key in old if key not in new]
        for key in keys:
            child = f"{path}.{key}" if path else str(key)
            if key not in new:
                out.append(Change(child, old[key], None))
            elif key not in old:
                out.append(Change(child, None, new[key]))
            else:
                _walk(old[key], new[key], child, out)
        return
    if _is_list(old) and _is_list(new):
        # Items are compared by position: a removed middle row shows as changes to the rows
        # after it plus one removed row, which is what a reader of the table sees anyway.
        for index in range(max(len(old), len(new))):
            child = f"{path}.{index}" if path else str(index)
            if index >= len(new):
                out.append(Change(child, old[index], None))
            elif index >= len(old):
                out.append(Change(child, None, new[index]))
            else:
                _walk(old[index], new[index], child, out)
        return
    if not _same(old, new):
        out.append(Change(path, old, new))


def diff_content(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Leaf-level changes from `old` to `new`; an added or removed key or list item is one change."""
    changes: list[Change] = []
    _walk(old, new, "", changes)
    return changes


def path_is_within(path: str, changed: str) -> bool:
    """True when `path` is `changed` itself or lies inside (or contains) the changed subtree."""
    return path == changed or path.startswith(changed + ".") or changed.startswith(path + ".")


def _segments(path: str) -> list[str]:
    return path.split(".") if path else []


def _set_in(value: Any, segments: Sequence[str], new: Any) -> Any:
    """A copy of `value` with the item at `segments` set to `new` (None removes a key or a last item)."""
    if not segments:
        return deepcopy(new)
    head, rest = segments[0], segments[1:]
    if isinstance(value, Mapping):
        result = dict(value)
        if not rest and new is None:
            result.pop(head, None)
        else:
            result[head] = _set_in(result.get(head), rest, new)
        return result
    if _is_list(value) and head.isdigit():
        items = list(value)
        index = int(head)
        if not rest and new is None and index == len(items) - 1:
            items.pop()
            return items
        while len(items) <= index:
            items.append(None)
        items[index] = _set_in(items[index], rest, new)
        return items
    # A leaf replaced by a container (or a path into nothing): build the container.
    return {head: _set_in(None, rest, new)}


def merge_changes(earlier: Sequence[Mapping[str, Any]], later: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The net changes of two consecutive saves: for each place, the first old value and the last
    new one; places changed and changed back drop out. Used to coalesce one editor's autosaves.

    A later change inside an earlier added or removed subtree (a cell of a row added earlier)
    updates that subtree's new value; a later change of a whole subtree (a row removed) absorbs
    the earlier changes inside it, whose old values rebuild the subtree's old value.
    """
    merged: dict[str, dict[str, Any]] = {str(c["path"]): {**c} for c in earlier}
    for change in later:
        path, old, new = str(change["path"]), change.get("old"), change.get("new")
        if path in merged:
            merged[path]["new"] = deepcopy(new)
            continue
        ancestor = next((p for p in merged if path.startswith(p + ".")), None)
        if ancestor is not None:
            relative = _segments(path)[len(_segments(ancestor)) :]
            merged[ancestor]["new"] = _set_in(merged[ancestor]["new"], relative, new)
            continue
        rebuilt = deepcopy(old)
        for inner in [p for p in merged if p.startswith(path + ".")]:
            relative = _segments(inner)[len(_segments(path)) :]
            rebuilt = _set_in(rebuilt, relative, merged.pop(inner)["old"])
        merged[path] = {"path": path, "old": rebuilt, "new": deepcopy(new)}
    return [c for c in merged.values() if diff_content({"v": c["old"]}, {"v": c["new"]})]
