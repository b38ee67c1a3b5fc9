package policy

import (
	"bufio"
	_ "embed"
	"fmt"
	"strings"
)

//go:embed data/passwords.txt
var passwordsTxt string

//go:embed data/names.txt
var namesTxt string

// BlocklistSize is the number of entries in the embedded common-password
// list (zxcvbn 4.4.2, MIT; see data/NOTICE.md).
const BlocklistSize = 30000

// wordLists is built once per Checker and never changed afterwards.
type wordLists struct {
	common   map[string]int // password -> 1-based frequency rank
	names    map[string]struct{}
	keyboard map[string]string // substring of a keyboard line -> layout
}

func loadWordLists() (*wordLists, error) {
	w := &wordLists{
		common:   make(map[string]int, BlocklistSize),
		names:    map[string]struct{}{},
		keyboard: keyboardSubstrings(),
	}
	rank := 0
	if err := eachLine(passwordsTxt, func(s string) {
		rank++
		if _, dup := w.common[s]; !dup {
			w.common[s] = rank
		}
	}); err != nil {
		return nil, err
	}
	if rank != BlocklistSize {
		return nil, fmt.Errorf("policy: embedded blocklist has %d entries, want %d", rank, BlocklistSize)
	}
	if err := eachLine(namesTxt, func(s string) { w.names[s] = struct{}{} }); err != nil {
		return nil, err
	}
	return w, nil
}

func eachLine(data string, fn func(string)) error {
	sc := bufio.NewScanner(strings.NewReader(data))
	for sc.Scan() {
		if t := sc.Text(); t != "" {
			fn(t)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("policy: reading embedded list: %w", err)
	}
	return nil
}

// Keyboard lines, diacritics folded. The Czech QWERTZ number row
// "+ěščřžýáíé" folds to "+escrzyaie".
func keyboardLayouts() []keyboardLayout {
	return []keyboardLayout{
		{"QWERTY", []string{"qwertyuiop[]", "asdfghjkl;'", "zxcvbnm,./",
			"1qaz", "2wsx", "3edc", "4rfv", "5tgb", "6yhn", "7ujm", "8ik,", "9ol.", "0p;/"}},
		{"QWERTZ", []string{"qwertzuiopu)", "asdfghjkl", "yxcvbnm,.-", "+escrzyaie",
			"1qay", "2wsx", "3edc", "4rfv", "5tgb", "6zhn", "7ujm", "8ik,", "9ol."}},
	}
}

type keyboardLayout struct {
	name  string
	lines []string
}

func keyboardSubstrings() map[string]string {
	m := map[string]string{}
	add := func(s, layout string) {
		for i := 0; i < len(s); i++ {
			for j := i + 3; j <= len(s); j++ {
				sub := s[i:j]
				if prev, ok := m[sub]; ok && prev != layout {
					m[sub] = "QWERTY/QWERTZ"
				} else {
					m[sub] = layout
				}
			}
		}
	}
	for _, l := range keyboardLayouts() {
		for _, line := range l.lines {
			add(line, l.name)
			add(reverse(line), l.name)
		}
	}
	return m
}

func reverse(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}
