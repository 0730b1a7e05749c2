import { addMappings, setMappingField } from './src/core/manifest/edit';
const manifest = `{
  "project": "cbi-v14",
  "mappings": [
    // production surfaces
    { "from": "a.b", "to": "c.d" },
    { "from": "models_v4.crisis_2008_historical" } // not decided
  ]
}`;
console.log(setMappingField(manifest, 1, 'to', 'x.y'));
console.log(addMappings(manifest, [{from:'q.r', status:'planned'}]));
