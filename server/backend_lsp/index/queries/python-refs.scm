; References for the workspace index (Python), run as captures (no pairing needed).
; Each is attributed to the innermost definition containing it. Bare names are
; not captured here: only the names a file defines or imports can resolve, and
; the extractor finds those by a text search checked against the tree.

; `crud.create_item`: resolved through the module or class `crud`.
(attribute
  object: (identifier)
  attribute: (identifier)) @dotted

; String literals that look like URL paths (tests that hit a route, urls.py).
(string (string_content) @string)
