; Tag-style query for the workspace index (Python), run once per file as captures:
; the extractor reads each definition's name, bases and body off the captured node
; by field, so no pattern needs pairing (one tree walk serves definitions, imports,
; references and strings).

; Definitions at module level and in class bodies; the extractor finds the
; enclosing class itself, so one pattern serves functions and methods.
(class_definition) @definition.class

(function_definition) @definition.function

(module
  (expression_statement
    (assignment left: (identifier)) @definition.variable))

(class_definition
  body: (block
    (expression_statement
      (assignment left: (identifier)) @definition.field)))

(import_statement) @import
(import_from_statement) @import

; References, each attributed to the innermost definition containing it. Bare
; names are not captured: only the names a file defines or imports can resolve,
; and the extractor finds those by a text search checked against the tree.

; `crud.create_item`: resolved through the module or class `crud`.
(attribute
  object: (identifier)
  attribute: (identifier)) @dotted

; String literals that look like URL paths (tests that hit a route, urls.py).
(string (string_content) @string)

; Calls whose callee ends in a name ``_call`` records (``_CALLS``, filled in
; when the query is loaded): the module-level ones are the routes, mounts and
; migration operations. Found here, in the one tree walk, instead of a Python walk
; of every module-level node (most of a migration file's extraction time).
((call function: (identifier) @call.name) @call (#any-of? @call.name $CALLS))
((call function: (attribute attribute: (identifier) @call.name)) @call
  (#any-of? @call.name $CALLS))
