/**
 * Loaded by mocha before any test file (.mocharc.json). Many tests run deskrun in this process
 * (test/helpers/in-process.ts), and oclif and its colour library decide the terminal width and colours
 * when they are loaded, from this process's terminal. Decide them as a spawned deskrun has them, its
 * output a pipe: 80 columns, no colours, whatever terminal the tests run in.
 */
process.env.OCLIF_COLUMNS = '80'
process.env.NO_COLOR = '1'
