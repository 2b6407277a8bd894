; References for the workspace index (Go), run as captures (no pairing needed).
; Each is attributed to the innermost definition containing it; the extractor
; rewrites a local variable's name to its type where the code declares it.

; Bare names: same-package functions, types, constants, variables.
(identifier) @reference
(type_identifier) @reference

; `models.Item` as a type; its name part is subtracted via @member.
(qualified_type) @dotted
(qualified_type name: (type_identifier) @member)

; `h.svc.Create`, `repo.NewItemRepo`: kept when the chain is names only.
(selector_expression) @selector

; String literals that look like URL paths (tests that hit a route).
(interpreted_string_literal (interpreted_string_literal_content) @string)
(raw_string_literal (raw_string_literal_content) @string)
