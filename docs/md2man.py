#!/usr/bin/env python3
"""md2man.py - turn docs/berth.8.md into docs/berth.8 (roff, man(7)).

usage: docs/md2man.py docs/berth.8.md > docs/berth.8

No pandoc or go-md2man needed. It knows the small Markdown subset berth.8.md
uses: a "% NAME(8) source | manual" title line, "# " sections, "## "
subsections, paragraphs, "term" lines followed by ": description" (with
indented continuation lines), ``` blocks, and **bold**, *italic*, _italic_
and `code` inline. Both files are committed; tests/integration/spec.bats
checks that berth.8 is this script's output.
"""
import re, sys, datetime

INLINE = re.compile(r"\*\*(.+?)\*\*|`(.+?)`|\*(.+?)\*|(?<![A-Za-z0-9])_(.+?)_(?![A-Za-z0-9])")


def esc(text):
    """Escape roff's backslash and hyphen."""
    return text.replace("\\", "\\e").replace("-", "\\-")


def guard(line):
    """A line must not start with a roff control character."""
    return "\\&" + line if line.startswith((".", "'")) else line


def inline(text):
    out, pos = [], 0
    for m in INLINE.finditer(text):
        out.append(esc(text[pos:m.start()]))
        bold = m.group(1) or m.group(2)
        if bold is not None:
            out.append("\\fB" + esc(bold) + "\\fR")
        else:
            out.append("\\fI" + esc(m.group(3) or m.group(4)) + "\\fR")
        pos = m.end()
    out.append(esc(text[pos:]))
    return guard("".join(out))


def convert(md):
    lines = md.split("\n")
    name, sect, source, manual = re.match(r"% (\S+)\((\d)\) (\S+) \| (.*)", lines[0]).groups()
    out = ['.TH %s %s "" "%s" "%s"' % (name, sect, source, manual)]
    para = []

    def flush():
        if para:
            out.append(inline(" ".join(para)))
            para.clear()

    i = 1
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            flush()
            out += [".PP", ".RS 4", ".nf"]
            i += 1
            while not lines[i].startswith("```"):
                out.append(guard(esc(lines[i])))
                i += 1
            out += [".fi", ".RE"]
        elif line.startswith("# "):
            flush()
            out.append(".SH " + line[2:].strip().upper())
        elif line.startswith("## "):
            flush()
            out.append(".SS " + inline(line[3:].strip()))
        elif not line.strip():
            flush()
        elif i + 1 < len(lines) and lines[i + 1].startswith(": "):
            flush()
            out += [".TP", inline(line.strip())]
            i += 1
            desc = [lines[i][2:].strip()]
            while i + 1 < len(lines) and lines[i + 1].startswith("  ") and lines[i + 1].strip():
                i += 1
                desc.append(lines[i].strip())
            out.append(inline(" ".join(desc)))
        else:
            if not para and not out[-1].startswith((".SH", ".SS")):
                out.append(".PP")
            para.append(line.strip())
        i += 1
    flush()
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        md = f.read()
    sys.stdout.write('.\\" Generated from berth.8.md by md2man.py; edit that file and regenerate.\n')
    sys.stdout.write(convert(md))
