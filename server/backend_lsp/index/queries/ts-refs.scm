; TypeScript/TSX references beyond js-refs.scm: names used as types.

(type_identifier) @reference
(nested_type_identifier) @dotted

(variable_declarator name: (identifier) type: (type_annotation)) @local
(required_parameter pattern: (identifier) type: (type_annotation)) @local
(optional_parameter pattern: (identifier) type: (type_annotation)) @local
