// SYNTAX TEST "source.js" "bqmigrate table references in JavaScript strings"
const t = 'models_v4.vertex_ai_training_1m_base';
//         ^^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.dataset.bqmigrate
//                   ^^^^^^^^^^^^^^^^^^^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.table.bqmigrate
run(`INSERT INTO archive.legacy_20251114__models_v4__crisis_2008_historical SELECT 1`);
//               ^^^^^^^ meta.table-reference.bqmigrate entity.name.type.dataset.bqmigrate
//                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.table.bqmigrate
require('./package.json');
//         ^^^^^^^^^^^^ - meta.table-reference.bqmigrate
