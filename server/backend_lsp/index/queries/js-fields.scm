; Plain-JavaScript class fields (TS/TSX spell them public_field_definition: ts-tags.scm).

(class_body (field_definition) @definition.field)
