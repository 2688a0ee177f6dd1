/**
 * Shell completion: `deskrun autocomplete` (in process) writes oclif's bash and zsh scripts into the
 * sandbox's oclif cache folder (under its HOME) with deskrun's value completion added; the scripts then
 * run in real bash and zsh, asking `deskrun complete` (bin/run.js on PATH, a process against the build)
 * for modes and installations. Nothing in completion may reach kind, helm or kubectl.
 */
import {existsSync} from 'node:fs'
import {chmod, mkdir, readFile, symlink, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {expect} from 'chai'
import {execa} from 'execa'

import {buildExamplePlugin, EXAMPLE_PLUGIN} from '../helpers/example-plugin.js'
import {REPO_ROOT} from '../helpers/fake-tools.js'
import {hasTmux, Terminal} from '../helpers/terminal.js'
import {expectOk, sandbox, type Sandbox} from '../cli/support.js'

const FAULTY = path.join(REPO_ROOT, 'test', 'fixtures', 'plugins', 'deskrun-plugin-faulty')
const BUILT_IN = ['kubernetes', 'cached-privileged-kubernetes', 'dind']
const which = (program: string) =>
  ['/bin', '/usr/bin', '/usr/local/bin'].map((dir) => path.join(dir, program)).find(existsSync)

/** Sets up COMP_WORDS like bash does for LINE (a trailing space starts an empty word) and prints COMPREPLY. */
const BASH_DRIVER = `source "$1"
read -ra COMP_WORDS <<< "$2"
[[ $2 == *' ' ]] && COMP_WORDS+=('')
COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
_deskrun_complete_values
printf '%s\\n' "\${COMPREPLY[@]}"`

/**
 * Runs the zsh completion function for WORDS with the completion system's builtins replaced by
 * functions that print what would be offered ("oclif" where oclif's own function takes over).
 */
const ZSH_DRIVER = `compadd() { local a; for a in "$@"; do [[ $a == -a ]] || print -l -- \${(P)a}; done }
_describe() { print -l -- "\${(@P)\${@[-1]}}" }
compset() { return 1 }
_arguments() { print -- oclif }
_values() { print -- oclif }
source "$1" >/dev/null 2>&1
shift
words=("$@")
CURRENT=$#words
_deskrun`

describe('shell completion', function () {
  this.timeout(120_000)
  let s: Sandbox
  let env: Record<string, string>
  let scripts: {bash: string; zsh: string}

  before(async () => {
    await buildExamplePlugin()
    s = await sandbox()
    expectOk(await s.deskrun(['plugins', 'link', EXAMPLE_PLUGIN, '--no-install']))
    expectOk(await s.add('box-one'))
    expectOk(await s.add('gpu-box', '--mode', 'gpu'))
    // The scripts call `deskrun` from PATH, as they would after npm install -g.
    const shims = path.join(s.fake.root, 'shims')
    await mkdir(shims)
    const shim = path.join(shims, 'deskrun')
    await writeFile(
      shim,
      `#!/bin/sh\nexec "${process.execPath}" "${path.join(REPO_ROOT, 'bin', 'run.js')}" "$@"\n`,
    )
    await chmod(shim, 0o755)
    // oclif's bash function needs grep and sed; nothing else from the machine is on PATH.
    for (const tool of ['grep', 'sed']) await symlink(which(tool)!, path.join(shims, tool))
    env = s.fake.env()
    env.PATH = `${shims}:${env.PATH}`
    const functions = path.join(s.fake.homeDir, '.cache', 'deskrun', 'autocomplete', 'functions')
    scripts = {
      bash: path.join(functions, 'bash', 'deskrun.bash'),
      zsh: path.join(functions, 'zsh', '_deskrun'),
    }
  })
  after(async () => {
    await s.expectNoLeaks()
    await s.fake.cleanup()
  })

  const lines = (text: string) => text.split('\n').filter(Boolean)
  const bash = async (line: string) => {
    const result = await execa(
      which('bash')!,
      ['--norc', '--noprofile', '-c', BASH_DRIVER, 'bash', scripts.bash, line],
      {
        env,
        extendEnv: false,
      },
    )
    return lines(result.stdout)
  }

  const zsh = async (...words: string[]) => {
    const result = await execa(which('zsh')!, ['-f', '-c', ZSH_DRIVER, 'zsh', scripts.zsh, ...words], {
      env,
      extendEnv: false,
    })
    return lines(result.stdout)
  }

  it('deskrun complete prints modes (plugin modes too) and installations, from the config and the plugins only', async () => {
    const calls = (await s.fake.calls()).length
    const modes = await s.deskrun(['complete', 'mode'])
    expectOk(modes)
    expect(lines(modes.stdout)).to.deep.equal([...BUILT_IN, 'gpu', 'gpu-runner'])
    const described = lines((await s.deskrun(['complete', 'mode', '--descriptions'])).stdout)
    expect(described).to.include(
      'gpu:Each job runs in its own pod with an NVIDIA GPU; jobs declare a container: image such as nvidia/cuda.',
    )
    const installations = await s.deskrun(['complete', 'installation', '--descriptions'])
    expectOk(installations)
    expect(lines(installations.stdout)).to.deep.equal([
      'box-one:kubernetes, https://github.com/owner/repo',
      'gpu-box:gpu, https://github.com/owner/repo',
    ])
    expect((await s.fake.calls()).length, 'no tool was called').to.equal(calls)
    expect((await s.deskrun(['--help'])).stdout, 'complete is hidden').not.to.match(/^\s+complete\s/m)
  })

  it('deskrun autocomplete prints the setup for bash, zsh and powershell', async () => {
    for (const shell of ['bash', 'zsh', 'powershell']) {
      const result = await s.deskrun(['autocomplete', shell])
      expectOk(result)
      expect(result.stdout).to.contain(`deskrun autocomplete script ${shell}`)
    }

    const setup = await s.deskrun(['autocomplete', 'script', 'bash'])
    expect(setup.stdout).to.contain(
      path.join(s.fake.homeDir, '.cache', 'deskrun', 'autocomplete', 'bash_setup'),
    )
  })

  describe('the generated scripts', () => {
    before(async () => {
      expectOk(await s.deskrun(['autocomplete', '--refresh-cache']))
    })

    it('hold the entries for modes, installations and fixed choices, once', async () => {
      const script = await readFile(scripts.bash, 'utf8')
      expect(script).to.contain('complete -F _deskrun_autocomplete deskrun')
      expect(script).to.contain(`'add --mode'|'add -m') REPLY='run mode' ;;`)
      expect(script).to.contain(`'add --auth-type') REPLY='words pat github-app' ;;`)
      expect(script).to.contain(`'remove @1') REPLY='run installation' ;;`)
      expect(script).to.contain(`'status @1') REPLY='run installation' ;;`)
      // pause and resume take any number of names: every later argument is one too.
      expect(script).to.contain(`'pause @'*) REPLY='run installation' ;;`)
      expect(script).not.to.contain(`'status @'*)`)
      expect(script.trimEnd()).to.match(/complete -F _deskrun_complete_values deskrun\n# <<< deskrun: .*<<<$/)
      expect(script.split('# >>> deskrun:')).to.have.length(2)

      const zshScript = await readFile(scripts.zsh, 'utf8')
      expect(zshScript.startsWith('#compdef deskrun')).to.equal(true)
      expect(zshScript).to.contain('\n_deskrun_oclif() {\n')
      expect(zshScript).to.contain(`'remove @1') REPLY='run installation' ;;`)
      expect(zshScript).to.contain('_describe -t values')
      expect(zshScript.trimEnd().endsWith('\n_deskrun "$@"')).to.equal(true)
      expect(zshScript.split('# >>> deskrun:')).to.have.length(2)
    })

    it('bash completes commands, flags, modes, installations, auth types and files, without any tool', async () => {
      const calls = (await s.fake.calls()).length
      expect(await bash('deskrun mo')).to.deep.equal(['modes'])
      expect(await bash('deskrun cluster ')).to.deep.equal(['create', 'delete', 'status', 'use'])
      expect(await bash('deskrun remove --pur')).to.deep.equal(['--purge-cache'])
      // Flag names after an argument, and after a flag's value: the usual order.
      expect(await bash('deskrun add my-runner --re')).to.deep.equal(['--repository'])
      expect((await bash('deskrun remove web --')).sort()).to.deep.equal([
        '--json',
        '--purge-cache',
        '--timeout',
      ])
      expect(await bash('deskrun add my-runner --mode dind --max')).to.deep.equal(['--max-runners'])
      expect(await bash('deskrun cluster create --ti')).to.deep.equal(['--timeout'])
      expect(await bash('deskrun add my-runner --mode ')).to.deep.equal([...BUILT_IN, 'gpu', 'gpu-runner'])
      expect(await bash('deskrun add my-runner -m gpu')).to.deep.equal(['gpu', 'gpu-runner'])
      // bash splits --mode=gpu at "="; with "=" out of COMP_WORDBREAKS it is one word.
      expect(await bash('deskrun add my-runner --mode = gpu-')).to.deep.equal(['gpu-runner'])
      expect(await bash('deskrun add my-runner --mode=gpu-')).to.deep.equal(['--mode=gpu-runner'])
      expect(await bash('deskrun add my-runner --auth-type ')).to.deep.equal(['pat', 'github-app'])
      expect(await bash('deskrun remove ')).to.deep.equal(['box-one', 'gpu-box'])
      expect(await bash('deskrun status g')).to.deep.equal(['gpu-box'])
      expect(await bash('deskrun pause box-one ')).to.deep.equal(['box-one', 'gpu-box'])
      expect(await bash('deskrun resume box-one --json gpu-box x g')).to.deep.equal(['gpu-box'])
      expect(await bash('deskrun remove --timeout 5 --purge-cache b')).to.deep.equal(['box-one'])
      expect(await bash('deskrun autocomplete z')).to.deep.equal(['zsh'])
      expect(
        await bash(`deskrun add my-runner --auth-value-file ${path.join(REPO_ROOT, 'package.j')}`),
      ).to.deep.equal([path.join(REPO_ROOT, 'package.json')])
      expect((await s.fake.calls()).length, 'no tool was called').to.equal(calls)
    })

    it('zsh completes modes and installations with their summaries, and hands the rest to oclif', async function () {
      if (!which('zsh')) this.skip()
      await execa(which('zsh')!, ['-n', scripts.zsh])
      const names = (offered: string[]) => offered.map((line) => line.split(':')[0])
      expect(names(await zsh('deskrun', 'add', 'my-runner', '--mode', ''))).to.deep.equal([
        ...BUILT_IN,
        'gpu',
        'gpu-runner',
      ])
      expect(names(await zsh('deskrun', 'add', 'my-runner', '--mode=g'))).to.include('gpu-runner')
      expect(await zsh('deskrun', 'add', 'my-runner', '--auth-type', '')).to.deep.equal(['pat', 'github-app'])
      expect(await zsh('deskrun', 'remove', '')).to.deep.equal([
        'box-one:kubernetes, https://github.com/owner/repo',
        'gpu-box:gpu, https://github.com/owner/repo',
      ])
      expect(names(await zsh('deskrun', 'status', '--json', ''))).to.deep.equal(['box-one', 'gpu-box'])
      expect(names(await zsh('deskrun', 'pause', 'box-one', 'g'))).to.deep.equal(['box-one', 'gpu-box'])
      expect(await zsh('deskrun', 'status', 'box-one', '')).to.deep.equal(['oclif'])
      expect(await zsh('deskrun', 'mo')).to.deep.equal(['oclif'])
      expect(await zsh('deskrun', 'add', 'my-runner', '--auth-value-file', '')).to.deep.equal(['oclif'])
    })

    describe('at a real prompt (TAB typed into an interactive shell in a terminal)', () => {
      let terminal: Terminal | undefined
      afterEach(async () => {
        await terminal?.close()
        terminal = undefined
      })

      /** Types `line` and TAB (twice: bash lists several candidates only then), returns the screen. */
      async function tab(line: string, expected: RegExp, times: 1 | 2 = 1) {
        await terminal!.type(line)
        await terminal!.keys(...Array<string>(times).fill('Tab'))
        const screen = await terminal!.waitFor(expected, 20_000)
        await terminal!.keys('C-u', 'C-l')
        return screen
      }

      it('bash completes flag names after an argument', async function () {
        if (!hasTmux) this.skip()
        terminal = await Terminal.start([which('bash')!, '--norc', '--noprofile', '-i'], {
          columns: 100,
          env: {...env, PS1: '$ '},
        })
        await terminal.type(`source ${scripts.bash}\n`)
        await tab('deskrun add my-runner --re', /^\$ deskrun add my-runner --repository$/m)
        await tab('deskrun pause box-one g', /^\$ deskrun pause box-one gpu-box$/m)
        const listed = await tab('deskrun remove web --', /--purge-cache/, 2)
        expect(listed).to.match(/^--json +--purge-cache +--timeout$/m)
      })

      it('zsh completes flag names after an argument, with their summaries', async function () {
        if (!hasTmux || !which('zsh')) this.skip()
        terminal = await Terminal.start([which('zsh')!, '-f'], {columns: 100, env: {...env, PS1: '$ '}})
        const functions = path.dirname(scripts.zsh)
        await terminal.type(`fpath=(${functions} $fpath); autoload -Uz compinit; compinit -u -D\n`)
        await tab('deskrun add my-runner --re', /^\$ deskrun add my-runner --repository/m)
        const listed = await tab('deskrun remove web --', /--purge-cache/)
        expect(listed)
          .to.match(/^--purge-cache +-- .*cache/m)
          .and.match(/^--timeout +-- /m)
      })
    })

    it('modes of a plugin linked later are offered without generating the scripts again', async () => {
      expectOk(await s.deskrun(['plugins', 'link', FAULTY, '--no-install']))
      expect(await bash('deskrun add my-runner --mode faulty-')).to.deep.equal([
        'faulty-ok',
        'faulty-render',
        'faulty-throws',
      ])
      expectOk(await s.deskrun(['plugins', 'unlink', 'deskrun-plugin-faulty']))
      expect(await bash('deskrun add my-runner --mode faulty-')).to.deep.equal([])
    })
  })
})
