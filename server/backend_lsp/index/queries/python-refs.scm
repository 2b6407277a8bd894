; References for the workspace index (Python), run as captures (no pairing needed).
; Each is attributed to the innermost definition containing it.

; Every identifier; attribute names are subtracted via @member.
(identifier) @reference

; `crud.create_item`: resolved through the module or class `crud`.
(attribute
  object: (identifier)
  attribute: (identifier)) @dotted

(attribute
  attribute: (identifier) @member)

; String literals that look like URL paths (tests that hit a route, urls.py).
(string (string_content) @string)
