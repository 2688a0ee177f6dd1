import {expect} from 'chai'

import {
  type GitHubTarget,
  githubUrlProblem,
  parseGitHubUrl,
} from '../../../src/lib/domain/installation/validate.js'

describe('parseGitHubUrl', () => {
  const accepted: Array<[string, GitHubTarget]> = [
    [
      'https://github.com/owner/repo',
      {
        scope: 'repository',
        host: 'github.com',
        owner: 'owner',
        repo: 'repo',
        url: 'https://github.com/owner/repo',
      },
    ],
    [
      'https://github.com/owner/repo/',
      {
        scope: 'repository',
        host: 'github.com',
        owner: 'owner',
        repo: 'repo',
        url: 'https://github.com/owner/repo',
      },
    ],
    [
      'https://github.com/owner/repo.git',
      {
        scope: 'repository',
        host: 'github.com',
        owner: 'owner',
        repo: 'repo',
        url: 'https://github.com/owner/repo',
      },
    ],
    [
      'https://GitHub.com/Owner/my.repo_x-1',
      {
        scope: 'repository',
        host: 'github.com',
        owner: 'Owner',
        repo: 'my.repo_x-1',
        url: 'https://github.com/Owner/my.repo_x-1',
      },
    ],
    [
      'https://github.com/my-org',
      {scope: 'organization', host: 'github.com', owner: 'my-org', url: 'https://github.com/my-org'},
    ],
    [
      'https://github.com/my-org/',
      {scope: 'organization', host: 'github.com', owner: 'my-org', url: 'https://github.com/my-org'},
    ],
    [
      'https://github.com/enterprises/acme',
      {
        scope: 'enterprise',
        host: 'github.com',
        enterprise: 'acme',
        url: 'https://github.com/enterprises/acme',
      },
    ],
    [
      'https://github.com/enterprises/acme/',
      {
        scope: 'enterprise',
        host: 'github.com',
        enterprise: 'acme',
        url: 'https://github.com/enterprises/acme',
      },
    ],
    [
      'https://ghes.example.com/team/app',
      {
        scope: 'repository',
        host: 'ghes.example.com',
        owner: 'team',
        repo: 'app',
        url: 'https://ghes.example.com/team/app',
      },
    ],
    [
      'https://ghes.example.com:8443/team',
      {
        scope: 'organization',
        host: 'ghes.example.com:8443',
        owner: 'team',
        url: 'https://ghes.example.com:8443/team',
      },
    ],
    [
      'https://ghes.example.com/enterprises/corp',
      {
        scope: 'enterprise',
        host: 'ghes.example.com',
        enterprise: 'corp',
        url: 'https://ghes.example.com/enterprises/corp',
      },
    ],
    [
      '  https://github.com/owner/repo  ',
      {
        scope: 'repository',
        host: 'github.com',
        owner: 'owner',
        repo: 'repo',
        url: 'https://github.com/owner/repo',
      },
    ],
  ]

  for (const [input, expected] of accepted) {
    it(`reads ${JSON.stringify(input)} as ${expected.scope}`, () => {
      expect(parseGitHubUrl(input)).to.deep.equal(expected)
    })
  }

  const rejected = [
    '',
    'github.com/owner/repo',
    'owner/repo',
    'http://github.com/owner/repo',
    'git@github.com:owner/repo.git',
    'ssh://git@github.com/owner/repo',
    'https://github.com',
    'https://github.com/',
    'https://github.com/owner/repo/tree/main',
    'https://github.com/owner/repo/issues',
    'https://github.com/enterprises',
    'https://github.com/enterprises/',
    'https://github.com/enterprises/acme/extra',
    'https://github.com/orgs/my-org',
    'https://github.com/owner/repo?tab=readme',
    'https://github.com/owner/repo#readme',
    'https://user:ghp_secret@github.com/owner/repo',
    'https://api.github.com/repos/owner/repo',
    'https://www.github.com/owner/repo',
    'https://raw.githubusercontent.com/owner/repo',
    'https://github.com//repo',
    'https://github.com/-owner/repo',
    'https://github.com/owner/.git',
    'https://github.com/owner/..',
    'https://github.com/own%20er/repo',
    'not a url',
  ]

  for (const input of rejected) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      expect(parseGitHubUrl(input)).to.equal(undefined)
    })
  }

  for (const [input, forge] of [
    ['https://gitlab.com/owner/repo', 'gitlab.com is GitLab'],
    ['https://www.gitlab.com/group', 'www.gitlab.com is GitLab'],
    ['https://bitbucket.org/workspace/repo', 'bitbucket.org is Bitbucket'],
    ['https://dev.azure.com/org/project', 'dev.azure.com is Azure DevOps'],
    ['https://myorg.visualstudio.com/project', 'myorg.visualstudio.com is Azure DevOps'],
    ['https://codeberg.org/owner/repo', 'codeberg.org is Codeberg'],
  ]) {
    it(`says ${input} is not GitHub`, () => {
      expect(githubUrlProblem(input)).to.contain(`${forge}, not GitHub`)
    })
  }

  it('still takes a GitHub Enterprise Server host whose name mentions another forge', () => {
    expect(parseGitHubUrl('https://github.gitlab-mirror.example.com/team/app')?.scope).to.equal('repository')
  })
})
