/**
 * The changes the build makes to the copy of @oclif/core it bundles (scripts/oclif-start-up.mjs): each
 * must keep oclif's behaviour and only move work out of start-up.
 */
import {readdir, readFile} from 'node:fs/promises'
import {createRequire} from 'node:module'
import path from 'node:path'
import vm from 'node:vm'

import {expect} from 'chai'

import {EDITS, inlineRequires, pluginPatternMatch, trimOclifSource} from '../../scripts/oclif-start-up.mjs'
import {REPO_ROOT} from '../helpers/fake-tools.js'

const OCLIF_LIB = path.join(REPO_ROOT, 'node_modules', '@oclif', 'core', 'lib')

/** Runs SOURCE as a CommonJS module whose require records what it loads; returns its exports and that record. */
function run(source: string, modules: Record<string, unknown>) {
  const loaded: string[] = []
  const require = (name: string) => {
    loaded.push(name)
    return modules[name]
  }
  const module = {exports: {} as Record<string, (...args: unknown[]) => unknown>}
  vm.runInNewContext(`(function (exports, require, module) {${source}\n})`)(module.exports, require, module)
  return {exports: module.exports, loaded}
}

const TSC_MODULE = `"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_os_1 = require("node:os");
const ejs_1 = __importDefault(require("ejs"));
const passed_on_1 = require("./passed-on");
var re_exported_1 = require("./re-exported");
Object.defineProperty(exports, "thing", { enumerable: true, get: function () { return re_exported_1.thing; } });
exports.platform = () => (0, node_os_1.platform)();
exports.render = () => new ejs_1.default.Template().render();
exports.passedOn = () => passed_on_1;
`

describe('the bundled oclif (scripts/oclif-start-up.mjs)', () => {
  describe('inline requires', () => {
    const modules = {
      'node:os': {platform: () => 'linux'},
      ejs: {
        Template: class {
          render() {
            return 'rendered'
          }
        },
      },
      './passed-on': {passed: true},
      './re-exported': {thing: 1},
    }

    it('requires a module read through its members when it is first used, and gives the same answers', () => {
      const {exports, loaded} = run(inlineRequires(TSC_MODULE), modules)
      expect(loaded).to.deep.equal(['./passed-on', './re-exported'])
      expect(exports.platform()).to.equal('linux')
      expect(exports.render()).to.equal('rendered') // `new x_1.default()` keeps its meaning
      expect(exports.render()).to.equal('rendered')
      expect(loaded).to.deep.equal(['./passed-on', './re-exported', 'node:os', 'ejs'])
    })

    it('leaves alone a module that is passed on whole, and the `var` of a re-export', () => {
      const trimmed = inlineRequires(TSC_MODULE)
      expect(trimmed).to.include('const passed_on_1 = require("./passed-on");')
      expect(trimmed).to.include('var re_exported_1 = require("./re-exported");')
      expect(run(trimmed, modules).exports.passedOn()).to.deep.equal({passed: true})
    })

    it('turns every module of the installed oclif into code that still compiles, deferring its heavy requires', async () => {
      const files = (await readdir(OCLIF_LIB, {recursive: true})).filter((file) => file.endsWith('.js'))
      expect(files.length).to.be.greaterThan(50)
      for (const file of files) {
        const relative = file.replaceAll('\\', '/')
        const trimmed = trimOclifSource(relative, await readFile(path.join(OCLIF_LIB, file), 'utf8'))
        expect(
          () => new vm.Script(`(function (exports, require, module) {${trimmed}\n})`),
          relative,
        ).not.to.throw()
      }
      const plugin = trimOclifSource(
        'config/plugin.js',
        await readFile(path.join(OCLIF_LIB, 'config/plugin.js'), 'utf8'),
      )
      expect(plugin).to.include('tinyglobby_1__module ??= require("tinyglobby")')
      expect(plugin).not.to.include('localeCompare')
    })
  })

  describe('edits', () => {
    it("fail the build, naming the edit, when oclif's text has moved", () => {
      expect(() => trimOclifSource('config/plugin.js', 'class Plugin {}')).to.throw(
        /@oclif\/core changed: lib\/config\/plugin\.js no longer has .*localeCompare.*ICU collator/,
      )
    })

    it('apply to the installed oclif', async () => {
      for (const relative of Object.keys(EDITS)) {
        const source = await readFile(path.join(OCLIF_LIB, relative), 'utf8')
        expect(() => trimOclifSource(relative, source), relative).not.to.throw()
      }
    })

    it('sort command ids as localeCompare does, for ids of lowercase words, dashes and colons', () => {
      const ids = [
        'service:status',
        'cache',
        'cache:list',
        'cluster:create',
        'cache:prune',
        'up',
        'set',
        'add',
        'service',
      ]
      const [{from, to}] = EDITS['config/plugin.js']
      const sort = (compare: string) =>
        vm.runInNewContext(`ids => [...ids]${compare}`.replaceAll('a.id', 'a').replaceAll('b.id', 'b'))
      expect(sort(to)(ids)).to.deep.equal(sort(from)(ids))
    })
  })

  describe("the plugin loader's pattern match", () => {
    // The minimatch oclif's plugin loader resolves, as in the bundle.
    const oclifRequire = createRequire(path.join(OCLIF_LIB, 'config', 'plugin-loader.js'))
    const {minimatch} = oclifRequire('minimatch') as {minimatch: (name: string, pattern: string) => boolean}
    const {minimatch: match} = pluginPatternMatch(oclifRequire)
    const names = [
      '@oclif/plugin-help',
      '@oclif/plugin-plugins',
      'deskrun-plugin-gpu',
      'yaml',
      '@oclif/core',
      'a/b',
      'b',
    ]
    const patterns = [
      '@oclif/plugin-help',
      '@oclif/plugin-*',
      '@oclif/*',
      'deskrun-plugin-*',
      '!yaml',
      '#yaml',
      'a/../b',
      './b',
      '{yaml,b}',
      'yaml',
      'b',
    ]
    for (const pattern of patterns)
      it(`answers as minimatch for ${pattern}`, () => {
        for (const name of names) expect(match(name, pattern), name).to.equal(minimatch(name, pattern))
      })
  })
})
