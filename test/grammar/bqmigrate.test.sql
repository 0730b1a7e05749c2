-- SYNTAX TEST "source.sql" "bqmigrate table references in SQL"
SELECT * FROM models_v4.production_training_data_3m AS t
--            ^^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.dataset.bqmigrate
--                      ^^^^^^^^^^^^^^^^^^^^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.table.bqmigrate
JOIN training.regime_calendar AS r USING (date)
--   ^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.dataset.bqmigrate
--            ^^^^^^^^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.table.bqmigrate
FROM `cbi-v14.models_v4.production_training_data_1m`
--    ^^^^^^^ meta.table-reference.bqmigrate entity.name.type.project.bqmigrate
--            ^^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.dataset.bqmigrate
--                      ^^^^^^^^^^^^^^^^^^^^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.table.bqmigrate
--   ^ punctuation.definition.table-reference.begin.bqmigrate
  INSERT INTO `training.zl_training_prod_allhistory_1m` (date) VALUES (1)
--             ^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.dataset.bqmigrate
--                      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.table.bqmigrate
SELECT * FROM `cbi-v14.raw_intelligence.events_*`
--             ^^^^^^^ meta.table-reference.bqmigrate entity.name.type.project.bqmigrate
--                     ^^^^^^^^^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.dataset.bqmigrate
--                                      ^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.table.bqmigrate
CREATE OR REPLACE VIEW `cbi-v14.models_v4.production_training_data_1m` AS
--                      ^^^^^^^ meta.table-reference.bqmigrate entity.name.type.project.bqmigrate
--                              ^^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.dataset.bqmigrate
--                                        ^^^^^^^^^^^^^^^^^^^^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.table.bqmigrate
WHERE t.date >= r.start_date
--    ^^^^^^ - meta.table-reference.bqmigrate
--              ^^^^^^^^^^^^ - meta.table-reference.bqmigrate
SELECT 'models_v4.production_training_data_1m' AS label
--      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.single.sql - meta.table-reference.bqmigrate
-- FROM models_v4.production_training_data_1m is the old name
--      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-dash.sql - meta.table-reference.bqmigrate
SELECT * FROM
  models_v4.trump_rich_2023_2025
--^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ - meta.table-reference.bqmigrate
