#include "vtabs/office_activity/record_types.h"

#include "core/text.h"

namespace sqlhunt::office {
namespace {

// AuditLogRecordType, as the schema document lists it (record_types.h names the
// commit). "Viva Goals" is written with its space, as the document writes it.
constexpr RecordTypeEntry kRecordTypes[] = {
    {1, "ExchangeAdmin"},
    {2, "ExchangeItem"},
    {3, "ExchangeItemGroup"},
    {4, "SharePoint"},
    {6, "SharePointFileOperation"},
    {7, "OneDrive"},
    {8, "AzureActiveDirectory"},
    {9, "AzureActiveDirectoryAccountLogon"},
    {10, "DataCenterSecurityCmdlet"},
    {11, "ComplianceDLPSharePoint"},
    {13, "ComplianceDLPExchange"},
    {14, "SharePointSharingOperation"},
    {15, "AzureActiveDirectoryStsLogon"},
    {16, "SkypeForBusinessPSTNUsage"},
    {17, "SkypeForBusinessUsersBlocked"},
    {18, "SecurityComplianceCenterEOPCmdlet"},
    {19, "ExchangeAggregatedOperation"},
    {20, "PowerBIAudit"},
    {21, "CRM"},
    {22, "Yammer"},
    {23, "SkypeForBusinessCmdlets"},
    {24, "Discovery"},
    {25, "MicrosoftTeams"},
    {28, "ThreatIntelligence"},
    {29, "MailSubmission"},
    {30, "MicrosoftFlow"},
    {31, "AeD"},
    {32, "MicrosoftStream"},
    {33, "ComplianceDLPSharePointClassification"},
    {34, "ThreatFinder"},
    {35, "Project"},
    {36, "SharePointListOperation"},
    {37, "SharePointCommentOperation"},
    {38, "DataGovernance"},
    {39, "Kaizala"},
    {40, "SecurityComplianceAlerts"},
    {41, "ThreatIntelligenceUrl"},
    {42, "SecurityComplianceInsights"},
    {43, "MIPLabel"},
    {44, "WorkplaceAnalytics"},
    {45, "PowerAppsApp"},
    {46, "PowerAppsPlan"},
    {47, "ThreatIntelligenceAtpContent"},
    {48, "LabelContentExplorer"},
    {49, "TeamsHealthcare"},
    {50, "ExchangeItemAggregated"},
    {51, "HygieneEvent"},
    {52, "DataInsightsRestApiAudit"},
    {53, "InformationBarrierPolicyApplication"},
    {54, "SharePointListItemOperation"},
    {55, "SharePointContentTypeOperation"},
    {56, "SharePointFieldOperation"},
    {57, "MicrosoftTeamsAdmin"},
    {58, "HRSignal"},
    {59, "MicrosoftTeamsDevice"},
    {60, "MicrosoftTeamsAnalytics"},
    {61, "InformationWorkerProtection"},
    {62, "Campaign"},
    {63, "DLPEndpoint"},
    {64, "AirInvestigation"},
    {65, "Quarantine"},
    {66, "MicrosoftForms"},
    {67, "ApplicationAudit"},
    {68, "ComplianceSupervisionExchange"},
    {69, "CustomerKeyServiceEncryption"},
    {70, "OfficeNative"},
    {71, "MipAutoLabelSharePointItem"},
    {72, "MipAutoLabelSharePointPolicyLocation"},
    {73, "MicrosoftTeamsShifts"},
    {75, "MipAutoLabelExchangeItem"},
    {76, "CortanaBriefing"},
    {78, "WDATPAlerts"},
    {82, "SensitivityLabelPolicyMatch"},
    {83, "SensitivityLabelAction"},
    {84, "SensitivityLabeledFileAction"},
    {85, "AttackSim"},
    {86, "AirManualInvestigation"},
    {87, "SecurityComplianceRBAC"},
    {88, "UserTraining"},
    {89, "AirAdminActionInvestigation"},
    {90, "MSTIC"},
    {91, "PhysicalBadgingSignal"},
    {93, "AipDiscover"},
    {94, "AipSensitivityLabelAction"},
    {95, "AipProtectionAction"},
    {96, "AipFileDeleted"},
    {97, "AipHeartBeat"},
    {98, "MCASAlerts"},
    {99, "OnPremisesFileShareScannerDlp"},
    {100, "OnPremisesSharePointScannerDlp"},
    {101, "ExchangeSearch"},
    {102, "SharePointSearch"},
    {103, "PrivacyInsights"},
    {105, "MyAnalyticsSettings"},
    {106, "SecurityComplianceUserChange"},
    {107, "ComplianceDLPExchangeClassification"},
    {109, "MipExactDataMatch"},
    {113, "MS365DCustomDetection"},
    {147, "CoreReportingSettings"},
    {148, "ComplianceConnector"},
    {154, "OMEPortal"},
    {174, "DataShareOperation"},
    {181, "EduDataLakeDownloadOperation"},
    {183, "MicrosoftGraphDataConnectOperation"},
    {186, "PowerPagesSite"},
    {188, "PlannerPlan"},
    {189, "PlannerCopyPlan"},
    {190, "PlannerTask"},
    {191, "PlannerRoster"},
    {192, "PlannerPlanList"},
    {193, "PlannerTaskList"},
    {194, "PlannerTenantSettings"},
    {195, "ProjectForTheWebProject"},
    {196, "ProjectForTheWebTask"},
    {197, "ProjectForTheWebRoadmap"},
    {198, "ProjectForTheWebRoadmapItem"},
    {199, "ProjectForTheWebProjectSettings"},
    {200, "ProjectForTheWebRoadmapSettings"},
    {216, "Viva Goals"},
    {217, "MicrosoftGraphDataConnectConsent"},
    {230, "TeamsUpdates"},
    {231, "PlannerRosterSensitivityLabel"},
};

constexpr const char* kUserTypes[] = {
    "Regular", "Reserved", "Admin", "DcAdmin", "System", "Application", "ServicePrincipal",
    "CustomPolicy", "SystemPolicy",
};

}  // namespace

const char* record_type_name(int64_t value) {
  for (const auto& e : kRecordTypes)
    if (e.value == value) return e.name;
  return nullptr;
}

std::optional<int64_t> record_type_value(std::string_view name) {
  for (const auto& e : kRecordTypes)
    if (text::iequals(e.name, name)) return e.value;
  return std::nullopt;
}

const RecordTypeEntry* record_types(size_t* count) {
  *count = sizeof kRecordTypes / sizeof kRecordTypes[0];
  return kRecordTypes;
}

const char* user_type_name(int64_t value) {
  if (value < 0 || value >= static_cast<int64_t>(sizeof kUserTypes / sizeof kUserTypes[0])) return nullptr;
  return kUserTypes[value];
}

}  // namespace sqlhunt::office
