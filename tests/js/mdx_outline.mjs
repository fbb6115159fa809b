// Compiles each MDX file given on the command line with the MDX project's own compiler and prints
// one JSON line per file: {"ok": true, "outline": [...]} with the node types, JSX element names
// and attribute names of its syntax tree (no text), or {"ok": false, "error": "line:column: reason"}.
import { readFileSync } from 'node:fs'
import { compile, createProcessor } from '@mdx-js/mdx'

function outline (node, out) {
  let entry = node.type
  if (node.type.startsWith('mdxJsx')) {
    entry += ':' + (node.name ?? '') + '(' + (node.attributes ?? []).map((a) => a.name ?? '{...}').join(',') + ')'
  }
  out.push(entry)
  for (const child of node.children ?? []) outline(child, out)
  return out
}

for (const path of process.argv.slice(2)) {
  const source = readFileSync(path, 'utf8')
  try {
    await compile(source)
    const tree = createProcessor().parse(source)
    console.log(JSON.stringify({ ok: true, outline: outline(tree, []) }))
  } catch (error) {
    const where = error.line ? `${error.line}:${error.column}: ` : ''
    console.log(JSON.stringify({ ok: false, error: where + (error.reason ?? error.message) }))
  }
}
