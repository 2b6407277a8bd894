; Tag-style queries for the workspace index (Go).
; Package-level definitions only: Go has no nested named functions, and struct
; fields / interface methods are read off their type by the extractor.

(package_clause (package_identifier) @name) @package

(import_spec) @import

(function_declaration
  name: (identifier) @name) @definition.function

(method_declaration
  receiver: (parameter_list) @receiver
  name: (field_identifier) @name) @definition.method

(source_file
  (type_declaration
    (type_spec name: (type_identifier) @name type: (_) @type) @definition.type))

(source_file
  (type_declaration
    (type_alias name: (type_identifier) @name type: (_) @type) @definition.type))

(source_file
  (const_declaration
    (const_spec name: (identifier) @name) @definition.constant))

(source_file
  (var_declaration
    (var_spec name: (identifier) @name) @definition.variable))

(source_file
  (var_declaration
    (var_spec_list
      (var_spec name: (identifier) @name) @definition.variable)))
