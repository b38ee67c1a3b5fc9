package cmsnet

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"

	"gopkg.in/yaml.v3"
)

// node is the format-neutral tree both front-ends produce: YAML through
// yaml.Node, JSON through encoding/json tokens. Every node knows its line
// and column.
type node struct {
	kind      nodeKind
	scalar    scalarKind
	line, col int
	off       int // byte offset in the source; -1 when unknown (YAML)
	value     string
	keys      []*node // kindMap: key scalars, in source order
	vals      []*node // kindMap: values, parallel to keys
	items     []*node // kindSeq
}

type nodeKind uint8

const (
	kindScalar nodeKind = iota
	kindMap
	kindSeq
)

type scalarKind uint8

const (
	scalarString scalarKind = iota
	scalarNumber
	scalarBool
	scalarNull
)

// treeLimits bounds the tree a front-end builds.
type treeLimits struct {
	maxDepth int
	maxNodes int
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

// yamlNodeBound over-estimates the number of YAML nodes in src without
// parsing it: every node but the first ends at, or is opened by, a newline,
// a flow indicator (',' '[' '{'), a block indicator ("- ", "? ", ": ") or
// a JSON-style '":'; flow indicators and ':' count twice, since a flow
// entry or key may stand for a key and an implicit null. yaml.v3 builds
// the whole tree (about 200 bytes a node) before the tree limits apply,
// so the bound is checked first.
func yamlNodeBound(src []byte) int {
	n := 2
	for i, c := range src {
		switch c {
		case '\n':
			n++
		case ',', '[', '{':
			n += 2
		case '-', '?', ':':
			if i+1 == len(src) || src[i+1] == ' ' || src[i+1] == '\n' || src[i+1] == '\r' || src[i+1] == '\t' ||
				(c == ':' && i > 0 && (src[i-1] == '"' || src[i-1] == '\'')) {
				n += 2
			}
		}
	}
	return n
}

// parseYAML builds the tree from YAML. Aliases, custom tags and more than
// one document are refused: a descriptor is plain data.
func parseYAML(src []byte, lim treeLimits) (*node, *Error) {
	if yamlNodeBound(src) > lim.maxNodes*2 {
		return nil, &Error{Line: 1, Column: 1, Code: "too-large", Err: ErrTooLarge,
			Message: fmt.Sprintf("more than %d values", lim.maxNodes)}
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{Line: 1, Column: 1, Code: "syntax", Message: "empty document", Err: ErrSyntax}
		}
		line := 0
		if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		return nil, &Error{Line: line, Column: 1, Code: "syntax", Message: err.Error(), Err: ErrSyntax}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, &Error{Line: extra.Line, Column: extra.Column, Code: "syntax",
			Message: "more than one YAML document", Err: ErrSyntax}
	}
	if len(doc.Content) != 1 {
		return nil, &Error{Line: 1, Column: 1, Code: "syntax", Message: "empty document", Err: ErrSyntax}
	}
	b := yamlBuilder{lim: lim}
	n := b.build(doc.Content[0], 1)
	if b.err != nil {
		return nil, b.err
	}
	return n, nil
}

type yamlBuilder struct {
	lim   treeLimits
	nodes int
	err   *Error
}

func (b *yamlBuilder) fail(y *yaml.Node, code string, sentinel error, msg string) *node {
	if b.err == nil {
		b.err = &Error{Line: y.Line, Column: y.Column, Code: code, Message: msg, Err: sentinel}
	}
	return nil
}

func (b *yamlBuilder) build(y *yaml.Node, depth int) *node {
	b.nodes++
	if b.nodes > b.lim.maxNodes {
		return b.fail(y, "too-large", ErrTooLarge, fmt.Sprintf("more than %d values", b.lim.maxNodes))
	}
	if depth > b.lim.maxDepth {
		return b.fail(y, "too-large", ErrTooLarge, fmt.Sprintf("nested deeper than %d", b.lim.maxDepth))
	}
	n := &node{line: y.Line, col: y.Column, off: -1}
	switch y.Kind {
	case yaml.AliasNode:
		return b.fail(y, "syntax", ErrSyntax, "YAML aliases are not allowed in a descriptor")
	case yaml.ScalarNode:
		n.kind, n.value = kindScalar, y.Value
		switch y.ShortTag() {
		case "!!str", "!!timestamp", "!!binary":
			n.scalar = scalarString
		case "!!int", "!!float":
			n.scalar = scalarNumber
		case "!!bool":
			n.scalar = scalarBool
		case "!!null":
			n.scalar = scalarNull
		default:
			return b.fail(y, "syntax", ErrSyntax, "YAML tag "+y.Tag+" is not allowed in a descriptor")
		}
	case yaml.MappingNode:
		n.kind = kindMap
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, v := b.build(y.Content[i], depth+1), b.build(y.Content[i+1], depth+1)
			if b.err != nil {
				return nil
			}
			n.keys, n.vals = append(n.keys, k), append(n.vals, v)
		}
	case yaml.SequenceNode:
		n.kind = kindSeq
		for _, c := range y.Content {
			v := b.build(c, depth+1)
			if b.err != nil {
				return nil
			}
			n.items = append(n.items, v)
		}
	default:
		return b.fail(y, "syntax", ErrSyntax, "unexpected YAML node")
	}
	return n
}

// parseJSON builds the tree from JSON, tracking each token's byte offset
// (json.Decoder.InputOffset) and converting it to line:column.
func parseJSON(src []byte, lim treeLimits) (*node, *Error) {
	p := jsonBuilder{src: src, dec: json.NewDecoder(bytes.NewReader(src)), lines: newLineIndex(src), lim: lim}
	p.dec.UseNumber()
	n := p.value(1)
	if p.err != nil {
		return nil, p.err
	}
	if _, err := p.dec.Token(); !errors.Is(err, io.EOF) {
		return nil, p.errAt(p.start(), "syntax", ErrSyntax, "data after the top-level value")
	}
	return n, nil
}

type jsonBuilder struct {
	src   []byte
	dec   *json.Decoder
	lines *lineIndex
	lim   treeLimits
	nodes int
	err   *Error
}

func (p *jsonBuilder) errAt(off int, code string, sentinel error, msg string) *Error {
	line, col := p.lines.position(off)
	return &Error{Line: line, Column: col, Code: code, Message: msg, Err: sentinel, at: off + 1}
}

// start returns the offset of the next token: after the decoder's offset,
// past white space and the ',' and ':' separators it consumes silently.
func (p *jsonBuilder) start() int {
	off := int(p.dec.InputOffset())
	for off < len(p.src) {
		switch p.src[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}

func (p *jsonBuilder) token() (json.Token, int, bool) {
	off := p.start()
	tok, err := p.dec.Token()
	if err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off = int(se.Offset)
		}
		msg := err.Error()
		if errors.Is(err, io.EOF) {
			msg = "unexpected end of input"
		}
		p.err = p.errAt(off, "syntax", ErrSyntax, msg)
		return nil, off, false
	}
	return tok, off, true
}

func (p *jsonBuilder) value(depth int) *node {
	tok, off, ok := p.token()
	if !ok {
		return nil
	}
	return p.valueFrom(tok, off, depth)
}

func (p *jsonBuilder) valueFrom(tok json.Token, off, depth int) *node {
	p.nodes++
	if p.nodes > p.lim.maxNodes {
		p.err = p.errAt(off, "too-large", ErrTooLarge, fmt.Sprintf("more than %d values", p.lim.maxNodes))
		return nil
	}
	if depth > p.lim.maxDepth {
		p.err = p.errAt(off, "too-large", ErrTooLarge, fmt.Sprintf("nested deeper than %d", p.lim.maxDepth))
		return nil
	}
	line, col := p.lines.position(off)
	n := &node{line: line, col: col, off: off}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			n.kind = kindMap
			p.members(n, depth)
		} else {
			n.kind = kindSeq
			p.elements(n, depth)
		}
	case string:
		n.value = t
	case json.Number:
		n.scalar, n.value = scalarNumber, t.String()
	case bool:
		n.scalar, n.value = scalarBool, strconv.FormatBool(t)
	case nil:
		n.scalar, n.value = scalarNull, "null"
	}
	if p.err != nil {
		return nil
	}
	return n
}

func (p *jsonBuilder) members(n *node, depth int) {
	for p.err == nil && p.dec.More() {
		k := p.value(depth + 1) // keys are always strings in encoding/json
		if p.err != nil {
			return
		}
		v := p.value(depth + 1)
		n.keys, n.vals = append(n.keys, k), append(n.vals, v)
	}
	if p.err == nil {
		p.token() // '}'
	}
}

func (p *jsonBuilder) elements(n *node, depth int) {
	for p.err == nil && p.dec.More() {
		n.items = append(n.items, p.value(depth+1))
	}
	if p.err == nil {
		p.token() // ']'
	}
}
