const {Parser, Language} = require('web-tree-sitter');
const fs=require('fs');
(async()=>{
 await Parser.init();
 const lang = process.argv[2]==='c' ? 'node_modules/tree-sitter-c/tree-sitter-c.wasm' : 'node_modules/tree-sitter-cpp/tree-sitter-cpp.wasm';
 const L = await Language.load(lang); const p = new Parser(); p.setLanguage(L);
 const src = fs.readFileSync(process.argv[3],'utf8');
 const t = p.parse(src);
 function pr(n, d, field){ if(!n.isNamed && !process.env.ALL) return; console.log('  '.repeat(d)+(field?field+': ':'')+n.type+(n.childCount===0?' '+JSON.stringify(n.text):'')+' ['+n.startPosition.row+':'+n.startPosition.column+']'+ ' idx'+n.startIndex);
  for (let i=0;i<n.childCount;i++) pr(n.child(i), d+1, n.fieldNameForChild(i)); }
 pr(t.rootNode,0);
})();
