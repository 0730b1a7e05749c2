# SYNTAX TEST "source.python" "bqmigrate table references in Python strings"
df = client.query("SELECT * FROM `cbi-v14.models_v4.production_training_data_1w`").to_dataframe()
#                                 ^^^^^^^ meta.table-reference.bqmigrate entity.name.type.project.bqmigrate
#                                         ^^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.dataset.bqmigrate
#                                                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.table.bqmigrate
table = "models_v4.production_training_data_12m"
#        ^^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.dataset.bqmigrate
#                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.table.bqmigrate
#        ^^^^^^^^^ string.quoted.single.python
sql = 'select * from training.zl_training_prod_allhistory_1m where x = 1'
#                    ^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.dataset.bqmigrate
#                             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ meta.table-reference.bqmigrate entity.name.type.table.bqmigrate
path = "exports/production_training_data_1w.parquet"
#               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ - meta.table-reference.bqmigrate
config = "settings.json"
#         ^^^^^^^^^^^^^ - meta.table-reference.bqmigrate
x = models_v4.production_training_data_1m + 3
#   ^^^^^^^^^ - meta.table-reference.bqmigrate
x = 1  # models_v4.production_training_data_1m
#        ^^^^^^^^^ comment.line.number-sign.python - meta.table-reference.bqmigrate
q = f"SELECT * FROM {PROJECT}.{table}"
#                    ^^^^^^^ - meta.table-reference.bqmigrate
