// SYNTAX TEST "source.ts" "bqmigrate table references in TypeScript strings"
export const TRAINING_1M = 'models_v4.production_training_data_1m';
//                          ^^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.dataset.bqmigrate
//                                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.table.bqmigrate
const q = `SELECT * FROM \`cbi-v14.models_v4.crisis_2008_historical\` LIMIT ${limit}`;
//                         ^^^^^^^ meta.table-reference.bqmigrate entity.name.type.project.bqmigrate
//                                 ^^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.dataset.bqmigrate
//                                           ^^^^^^^^^^^^^^^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.table.bqmigrate
const sql = "SELECT * FROM training.zl_training_prod_allhistory_6m";
//                         ^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.dataset.bqmigrate
//                                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.table.bqmigrate
import { helper } from './lib/helper.js';
//                            ^^^^^^^^^ - meta.table-reference.bqmigrate
const obj = models_v4.production_training_data_1m;
//          ^^^^^^^^^ - meta.table-reference.bqmigrate
