; References for the workspace index (JavaScript; TypeScript/TSX add ts-refs.scm), as captures.
; The extractor keeps a bare name only when the file defines or imports it, and
; rewrites `this` and typed locals to their class.

(identifier) @reference
(shorthand_property_identifier) @reference

; `this.itemsService.findOne`, `prisma.item.findMany`: kept when the chain is names and calls.
(member_expression) @member

; String literals that look like URL paths (tests that request a route).
(string (string_fragment) @string)
(template_string) @template

; Locals that say their type: `const svc = new ItemService()`, typed TS parameters and
; `const repo = dataSource.getRepository(Item)` (the extractor reads the value).
(variable_declarator name: (identifier) value: [(new_expression) (call_expression)]) @local
