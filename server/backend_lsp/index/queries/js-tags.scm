; Tag-style queries for the workspace index (JavaScript; TypeScript/TSX add ts-tags.scm).
; Top-level definitions, exported or not, and class members. Names are matched
; as (_) since the TS grammar names classes with type_identifier.

(program [(function_declaration) (generator_function_declaration)] @definition.function)
(program
  (export_statement
    declaration: [(function_declaration) (generator_function_declaration)] @definition.function))

(program (class_declaration) @definition.class)
(program (export_statement declaration: (class_declaration) @definition.class))
(program (export_statement value: (class) @definition.class))

(program [(lexical_declaration (variable_declarator) @definition.variable)
          (variable_declaration (variable_declarator) @definition.variable)])
(program
  (export_statement
    declaration: [(lexical_declaration (variable_declarator) @definition.variable)
                  (variable_declaration (variable_declarator) @definition.variable)]))

(class_body (method_definition) @definition.method)

(import_statement) @import
(export_statement source: (_)) @reexport
(export_statement value: (_) @value) @default
(export_statement "default" declaration: (_) @value) @default
(call_expression
  function: (identifier) @_require (#eq? @_require "require")
  arguments: (arguments . (string) @source)) @require
; `import('./routes/users.js')` (fastify.register takes the promise): read as a require
(call_expression
  function: (import)
  arguments: (arguments . (string) @source)) @require

; CommonJS: `module.exports = x` is the default export (a named function expression defines it).
(program
  (expression_statement
    (assignment_expression
      left: (member_expression
        object: (identifier) @_module (#eq? @_module "module")
        property: (property_identifier) @_exports (#eq? @_exports "exports"))
      right: (_) @value)) @default)
