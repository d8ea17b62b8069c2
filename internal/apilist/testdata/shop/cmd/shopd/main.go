// Command shopd is a command, so apilist leaves it out.
package main

// Exported would be listed if commands were.
var Exported int

func main() {}
