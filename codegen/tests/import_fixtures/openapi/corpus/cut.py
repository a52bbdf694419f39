#!/usr/bin/env python3
"""Cuts progenitor's sample_openapi/ documents down to the operations the loopback tests call,
with exactly the components they reach through `$ref`s; everything else is kept as it is.

    python3 cut.py <progenitor checkout>/sample_openapi   # rewrites the excerpts beside this file

The operations per document are in KEEP; README.md says why each was chosen."""

import json
import os
import sys

KEEP = {
    "nexus.json": ["disk_view_v1", "disk_list_v1", "disk_delete_v1"],
    "api.github.com.json": [
        "markdown/render-raw",
        "reactions/create-for-issue",
        "repos/download-tarball-archive",
        "repos/upload-release-asset",
    ],
    "buildomat.json": ["worker_task_upload_chunk", "whoami_put_name", "header-arg"],
    "keeper.json": ["ping", "report_output"],
    "propolis-server.json": ["instance_serial", "instance_state_put"],
}

METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def refs(value, found):
    if isinstance(value, dict):
        for key, member in value.items():
            if key == "$ref" and isinstance(member, str) and member.startswith("#/"):
                found.append(member)
            else:
                refs(member, found)
    elif isinstance(value, list):
        for item in value:
            refs(item, found)


def resolve(document, pointer):
    value = document
    for part in pointer[2:].split("/"):
        value = value[part.replace("~1", "/").replace("~0", "~")]
    return value


def cut(document, keep):
    paths = {}
    for path, item in document["paths"].items():
        kept = {m: op for m, op in item.items() if m in METHODS and op.get("operationId") in keep}
        if kept:
            # Path-level parameters belong to every operation of the path.
            kept.update({k: v for k, v in item.items() if k not in METHODS})
            paths[path] = kept
    found = sorted({op["operationId"] for item in paths.values() for m, op in item.items() if m in METHODS})
    missing = sorted(set(keep) - set(found))
    if missing:
        sys.exit(f"not in the document: {missing}")
    reached, pending = set(), []
    refs(paths, pending)
    while pending:
        pointer = pending.pop()
        if pointer not in reached:
            reached.add(pointer)
            refs(resolve(document, pointer), pending)
    out = dict(document)
    out["paths"] = paths
    if "components" in document:
        components = {}
        for kind, members in document["components"].items():
            if kind == "securitySchemes":
                components[kind] = members
                continue
            kept = {name: v for name, v in members.items() if f"#/components/{kind}/{name}" in reached}
            if kept:
                components[kind] = kept
        out["components"] = components
    return out


def main():
    source = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    for name, keep in KEEP.items():
        with open(os.path.join(source, name)) as file:
            document = json.load(file)
        with open(os.path.join(here, name), "w") as file:
            json.dump(cut(document, keep), file, indent=2, ensure_ascii=False)
            file.write("\n")


if __name__ == "__main__":
    main()
