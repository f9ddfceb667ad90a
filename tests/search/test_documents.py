"""What the index reads of a sheet's Markdown: its readable text, nothing else."""

from search.documents import plain_text


def test_markdown_becomes_readable_lines_without_marks_tags_or_blank_lines():
    body = ("# Why it works\n\n  Straw  **mulch**\tkeeps the [soil](https://x.org) moist.  \n\n\n"
            "| crop | yield |\n|---|---|\n| maize | 2 t |\n\n<script>alert(1)</script>\n"
            "![terraces](t.png) and [[zai-pits|zaï pits]]\r\n")
    assert plain_text(body) == ("Why it works\nStraw mulch keeps the soil moist.\n"
                                "crop yield\nmaize 2 t\nalert(1)\nterraces and zaï pits")
