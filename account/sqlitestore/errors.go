package sqlitestore

import "errors"

// ErrEmptyPath means Open was given no file name.
var ErrEmptyPath = errors.New("sqlitestore: empty database path")
