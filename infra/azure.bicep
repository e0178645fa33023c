// Hosting for ECT Support Plans: one Linux App Service (Node 22 LTS) serving the tab, the API and
// the bot endpoint on one origin; the Azure Bot resource with the Microsoft Teams channel; a Key
// Vault holding the two client secrets, read by the web app's managed identity through Key Vault
// references. Deployed by the Teams Toolkit / Microsoft 365 Agents Toolkit `arm/deploy` action
// (teamsapp.yml) with infra/azure.parameters.json, or by hand:
//   az deployment group create -g <group> -f infra/azure.bicep -p @infra/azure.parameters.json
// (after replacing the ${{…}} placeholders in the parameters file with your values).

@minLength(4)
@maxLength(20)
@description('Used to name every resource (letters and digits).')
param resourceBaseName string

param location string = resourceGroup().location

@description('App Service plan SKU. B1 is enough for one school; P0v3 or above for a trust or an AB, with several instances.')
param appServiceSku string = 'B1'

@description('Instances the web app scales out to. The outbox and scheduled jobs are claimed with leases in the store, so instances never double-send; but keep 1 while the store is the embedded SQLite file (SQLite on the shared /home file share is not safe for several writers).')
param instanceCount string = '1'

@description('Client id of the Entra app registration the tab signs in with (aad.manifest.json).')
param aadAppClientId string

@description('Tenant id of the school\'s Microsoft 365 tenant.')
param aadAppTenantId string

@description('Authority host, https://login.microsoftonline.com unless a national cloud.')
param aadAppOauthAuthorityHost string = 'https://login.microsoftonline.com'

@secure()
@description('Client secret of the Entra app: Microsoft Graph application permissions (SharePoint, app installation).')
param aadAppClientSecret string = ''

@description('Client id of the bot\'s Entra app (botAadApp/create).')
param botAadAppClientId string

@secure()
@description('Client secret of the bot\'s Entra app.')
param botAadAppClientSecret string

@maxLength(42)
param botDisplayName string = 'ECT Support Plans'

@description('Azure Bot SKU: F0 (free) covers Teams, which is a standard channel.')
param botServiceSku string = 'F0'

@description('Where the embedded SQLite store lives. /home is persistent, shared storage on App Service.')
param dataDir string = '/home/data'

@description('SharePoint site id (host,site-collection-id,web-id) holding the lists. Empty: the embedded SQLite store (one instance only).')
param sharePointSiteId string = ''

@description('Microsoft Graph origin; national clouds use another host.')
param graphBaseUrl string = 'https://graph.microsoft.com'

@description('The Teams app\'s id (the manifest id, TEAMS_APP_ID): every card link is then a Teams deep link into the personal tab, where single sign-on works. Empty: links open the tab\'s own URL.')
param teamsAppId string = ''

@description('The app\'s id in the org app catalogue: set it to let the server install the app for people the bot cannot reach yet (TeamsAppInstallation.ReadWriteSelfForUser.All). Empty: pin the app by setup policy instead.')
param teamsAppCatalogId string = ''

@description('Bot Connector service URL for conversations the server opens by installing the app.')
param botServiceUrl string = 'https://smba.trafficmanager.net/teams/'

@description('Prefix of the SharePoint list names (npm run provision:sharepoint creates them).')
param sharePointListPrefix string = 'ECTSP '

var serverfarmsName = resourceBaseName
var webAppName = resourceBaseName
var keyVaultName = take('kv${uniqueString(resourceGroup().id, resourceBaseName)}', 24)
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'
var hasAadSecret = !empty(aadAppClientSecret)
// A string parameter, so the toolkit can fill it from env/.env.<env>; 1 to 10 instances.
var instances = min(max(int(instanceCount), 1), 10)

resource serverfarm 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: serverfarmsName
  location: location
  kind: 'linux'
  sku: {
    name: appServiceSku
    capacity: instances
  }
  properties: {
    reserved: true // Linux
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: 'SystemAssigned'
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
      appCommandLine: 'node bot/dist/main.js'
    }
  }
}

// App settings: every name the server reads in bot/src/config.ts. Secrets are Key Vault references.
resource webAppSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'appsettings'
  properties: {
    // Tenant mode: the Entra app the tab signs in with (the dev identity does not exist).
    AAD_APP_CLIENT_ID: aadAppClientId
    AAD_APP_TENANT_ID: aadAppTenantId
    AAD_APP_OAUTH_AUTHORITY_HOST: aadAppOauthAuthorityHost
    AAD_APP_ID_URI: 'api://${webApp.properties.defaultHostName}/${aadAppClientId}'
    AAD_APP_CLIENT_SECRET: hasAadSecret ? '@Microsoft.KeyVault(SecretUri=${aadSecret.properties.secretUri})' : ''
    // The bot: single-tenant Entra app, in the school's tenant.
    BOT_ID: botAadAppClientId
    BOT_PASSWORD: '@Microsoft.KeyVault(SecretUri=${botSecret.properties.secretUri})'
    BOT_TYPE: 'SingleTenant'
    BOT_TENANT_ID: aadAppTenantId
    // Proactive install through Graph (the sign-in app's secret), when the catalogue id is set.
    TEAMS_APP_CATALOG_ID: teamsAppCatalogId
    // Card links open the plan inside Teams (a deep link into the personal tab).
    TEAMS_APP_ID: teamsAppId
    BOT_SERVICE_URL: botServiceUrl
    // Hosting.
    PUBLIC_URL: 'https://${webApp.properties.defaultHostName}'
    PORT: '8080'
    DATA_DIR: dataDir
    // The store: SharePoint lists via Graph when a site is set (Sites.Selected, app-only, the
    // same Entra app and secret as above); otherwise the embedded SQLite file under DATA_DIR.
    SHAREPOINT_SITE_ID: sharePointSiteId
    SHAREPOINT_TENANT_ID: aadAppTenantId
    SHAREPOINT_CLIENT_ID: aadAppClientId
    SHAREPOINT_CLIENT_SECRET: hasAadSecret ? '@Microsoft.KeyVault(SecretUri=${aadSecret.properties.secretUri})' : ''
    SHAREPOINT_LIST_PREFIX: sharePointListPrefix
    SHAREPOINT_MAX_RETRIES: '5'
    GRAPH_BASE_URL: graphBaseUrl
    AUTHORITY_HOST: aadAppOauthAuthorityHost
    WEBSITES_ENABLE_APP_SERVICE_STORAGE: 'true'
    // The deployed zip carries the built app (bot/dist, shared/dist, tab/dist) without node_modules:
    // App Service installs the production dependencies on Linux, so better-sqlite3's native
    // module matches the server whatever machine ran the deploy.
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'true'
    ENABLE_ORYX_BUILD: 'true'
    CUSTOM_BUILD_COMMAND: 'npm ci --omit=dev --no-audit --no-fund'
  }
  dependsOn: [
    kvSecretsUser
  ]
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource botSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'bot-password'
  properties: {
    value: botAadAppClientSecret
  }
}

resource aadSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (hasAadSecret) {
  parent: keyVault
  name: 'aad-app-client-secret'
  properties: {
    value: aadAppClientSecret
  }
}

// The web app's identity may read secrets, and nothing else.
resource kvSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, webApp.id, keyVaultSecretsUserRoleId)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: webApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

// Register the web service as a bot with the Bot Framework, single-tenant, in the school's tenant.
resource botService 'Microsoft.BotService/botServices@2022-09-15' = {
  name: resourceBaseName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botServiceSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppId: botAadAppClientId
    msaAppType: 'SingleTenant'
    msaAppTenantId: aadAppTenantId
  }
}

// Connect the bot to Microsoft Teams.
resource botTeamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: botService
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      acceptedTerms: true
    }
  }
}

// Written to env/.env.<env> by arm/deploy; the app package and aad.manifest.json use them.
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output TAB_DOMAIN string = webApp.properties.defaultHostName
output TAB_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output KEY_VAULT_NAME string = keyVault.name
