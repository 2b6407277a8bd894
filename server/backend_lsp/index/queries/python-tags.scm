; Tag-style queries for the workspace index (Python).
; Definitions at module level and in class bodies; the extractor finds the
; enclosing class itself, so one pattern serves functions and methods.

(class_definition
  name: (identifier) @name
  superclasses: (argument_list)? @bases) @definition.class

(function_definition
  name: (identifier) @name) @definition.function

(module
  (expression_statement
    (assignment left: (identifier) @name) @definition.variable))

(class_definition
  body: (block
    (expression_statement
      (assignment left: (identifier) @name) @definition.field)))

(import_statement) @import
(import_from_statement) @import
