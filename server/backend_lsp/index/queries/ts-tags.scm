; TypeScript/TSX definitions beyond js-tags.scm: types, and class fields as TS spells them.

(program [(interface_declaration) (type_alias_declaration) (enum_declaration)] @definition.type)
(program
  (export_statement
    declaration: [(interface_declaration) (type_alias_declaration) (enum_declaration)] @definition.type))
(program (abstract_class_declaration) @definition.class)
(program (export_statement declaration: (abstract_class_declaration) @definition.class))

(class_body (public_field_definition) @definition.field)
(class_body (abstract_method_signature) @definition.method)
