; TypeScript/TSX references beyond js-refs.scm: names used as types.

(type_identifier) @reference
(nested_type_identifier) @dotted
