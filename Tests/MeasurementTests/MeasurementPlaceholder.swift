// The Measurement tests live beside this file; this one only keeps the target non-empty.
import Testing
