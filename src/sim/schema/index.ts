// Generated list of the ERPNext / Frappe v15 DocType JSON files the simulator ships.
// Each file is a copy of the upstream DocType definition (provenance: SOURCE.md here).
import account from './account.json' with { type: 'json' };
import accountingDimension from './accounting_dimension.json' with { type: 'json' };
import accountingDimensionDetail from './accounting_dimension_detail.json' with { type: 'json' };
import address from './address.json' with { type: 'json' };
import advanceTaxesAndCharges from './advance_taxes_and_charges.json' with { type: 'json' };
import allowedToTransactWith from './allowed_to_transact_with.json' with { type: 'json' };
import assetCategory from './asset_category.json' with { type: 'json' };
import assetCategoryAccount from './asset_category_account.json' with { type: 'json' };
import assetFinanceBook from './asset_finance_book.json' with { type: 'json' };
import batch from './batch.json' with { type: 'json' };
import bin from './bin.json' with { type: 'json' };
import blockModule from './block_module.json' with { type: 'json' };
import brand from './brand.json' with { type: 'json' };
import campaign from './campaign.json' with { type: 'json' };
import campaignEmailSchedule from './campaign_email_schedule.json' with { type: 'json' };
import campaignItem from './campaign_item.json' with { type: 'json' };
import company from './company.json' with { type: 'json' };
import competitorDetail from './competitor_detail.json' with { type: 'json' };
import contact from './contact.json' with { type: 'json' };
import contactEmail from './contact_email.json' with { type: 'json' };
import contactPhone from './contact_phone.json' with { type: 'json' };
import costCenter from './cost_center.json' with { type: 'json' };
import couponCode from './coupon_code.json' with { type: 'json' };
import crmNote from './crm_note.json' with { type: 'json' };
import currency from './currency.json' with { type: 'json' };
import currencyExchange from './currency_exchange.json' with { type: 'json' };
import customField from './custom_field.json' with { type: 'json' };
import customer from './customer.json' with { type: 'json' };
import customerCreditLimit from './customer_credit_limit.json' with { type: 'json' };
import customerGroup from './customer_group.json' with { type: 'json' };
import customerGroupItem from './customer_group_item.json' with { type: 'json' };
import customerItem from './customer_item.json' with { type: 'json' };
import defaultvalue from './defaultvalue.json' with { type: 'json' };
import deletedDocument from './deleted_document.json' with { type: 'json' };
import department from './department.json' with { type: 'json' };
import designation from './designation.json' with { type: 'json' };
import dynamicLink from './dynamic_link.json' with { type: 'json' };
import financeBook from './finance_book.json' with { type: 'json' };
import fiscalYear from './fiscal_year.json' with { type: 'json' };
import fiscalYearCompany from './fiscal_year_company.json' with { type: 'json' };
import globalDefaults from './global_defaults.json' with { type: 'json' };
import gender from './gender.json' with { type: 'json' };
import glEntry from './gl_entry.json' with { type: 'json' };
import hasRole from './has_role.json' with { type: 'json' };
import incoterm from './incoterm.json' with { type: 'json' };
import industryType from './industry_type.json' with { type: 'json' };
import item from './item.json' with { type: 'json' };
import itemAttribute from './item_attribute.json' with { type: 'json' };
import itemAttributeValue from './item_attribute_value.json' with { type: 'json' };
import itemBarcode from './item_barcode.json' with { type: 'json' };
import itemCustomerDetail from './item_customer_detail.json' with { type: 'json' };
import itemDefault from './item_default.json' with { type: 'json' };
import itemGroup from './item_group.json' with { type: 'json' };
import itemPrice from './item_price.json' with { type: 'json' };
import itemQualityInspectionParameter from './item_quality_inspection_parameter.json' with { type: 'json' };
import itemReorder from './item_reorder.json' with { type: 'json' };
import itemSupplier from './item_supplier.json' with { type: 'json' };
import itemTax from './item_tax.json' with { type: 'json' };
import itemTaxTemplate from './item_tax_template.json' with { type: 'json' };
import itemTaxTemplateDetail from './item_tax_template_detail.json' with { type: 'json' };
import itemVariantAttribute from './item_variant_attribute.json' with { type: 'json' };
import landedCostTaxesAndCharges from './landed_cost_taxes_and_charges.json' with { type: 'json' };
import language from './language.json' with { type: 'json' };
import lead from './lead.json' with { type: 'json' };
import letterHead from './letter_head.json' with { type: 'json' };
import loyaltyPointEntry from './loyalty_point_entry.json' with { type: 'json' };
import loyaltyPointEntryRedemption from './loyalty_point_entry_redemption.json' with { type: 'json' };
import loyaltyProgram from './loyalty_program.json' with { type: 'json' };
import loyaltyProgramCollection from './loyalty_program_collection.json' with { type: 'json' };
import marketSegment from './market_segment.json' with { type: 'json' };
import modeOfPayment from './mode_of_payment.json' with { type: 'json' };
import modeOfPaymentAccount from './mode_of_payment_account.json' with { type: 'json' };
import moduleProfile from './module_profile.json' with { type: 'json' };
import opportunity from './opportunity.json' with { type: 'json' };
import opportunityItem from './opportunity_item.json' with { type: 'json' };
import opportunityLostReasonDetail from './opportunity_lost_reason_detail.json' with { type: 'json' };
import packedItem from './packed_item.json' with { type: 'json' };
import partyAccount from './party_account.json' with { type: 'json' };
import paymentEntry from './payment_entry.json' with { type: 'json' };
import paymentEntryDeduction from './payment_entry_deduction.json' with { type: 'json' };
import paymentEntryReference from './payment_entry_reference.json' with { type: 'json' };
import paymentSchedule from './payment_schedule.json' with { type: 'json' };
import paymentTermsTemplate from './payment_terms_template.json' with { type: 'json' };
import paymentTermsTemplateDetail from './payment_terms_template_detail.json' with { type: 'json' };
import portalUser from './portal_user.json' with { type: 'json' };
import posClosingEntry from './pos_closing_entry.json' with { type: 'json' };
import posClosingEntryDetail from './pos_closing_entry_detail.json' with { type: 'json' };
import posClosingEntryTaxes from './pos_closing_entry_taxes.json' with { type: 'json' };
import posCustomerGroup from './pos_customer_group.json' with { type: 'json' };
import posInvoice from './pos_invoice.json' with { type: 'json' };
import posInvoiceItem from './pos_invoice_item.json' with { type: 'json' };
import posInvoiceMergeLog from './pos_invoice_merge_log.json' with { type: 'json' };
import posInvoiceReference from './pos_invoice_reference.json' with { type: 'json' };
import posItemGroup from './pos_item_group.json' with { type: 'json' };
import posOpeningEntry from './pos_opening_entry.json' with { type: 'json' };
import posOpeningEntryDetail from './pos_opening_entry_detail.json' with { type: 'json' };
import posPaymentMethod from './pos_payment_method.json' with { type: 'json' };
import posProfile from './pos_profile.json' with { type: 'json' };
import posProfileUser from './pos_profile_user.json' with { type: 'json' };
import priceList from './price_list.json' with { type: 'json' };
import priceListCountry from './price_list_country.json' with { type: 'json' };
import pricingRule from './pricing_rule.json' with { type: 'json' };
import pricingRuleBrand from './pricing_rule_brand.json' with { type: 'json' };
import pricingRuleDetail from './pricing_rule_detail.json' with { type: 'json' };
import pricingRuleItemCode from './pricing_rule_item_code.json' with { type: 'json' };
import pricingRuleItemGroup from './pricing_rule_item_group.json' with { type: 'json' };
import printHeading from './print_heading.json' with { type: 'json' };
import productBundle from './product_bundle.json' with { type: 'json' };
import productBundleItem from './product_bundle_item.json' with { type: 'json' };
import project from './project.json' with { type: 'json' };
import projectUser from './project_user.json' with { type: 'json' };
import promotionalScheme from './promotional_scheme.json' with { type: 'json' };
import promotionalSchemePriceDiscount from './promotional_scheme_price_discount.json' with { type: 'json' };
import promotionalSchemeProductDiscount from './promotional_scheme_product_discount.json' with { type: 'json' };
import prospect from './prospect.json' with { type: 'json' };
import prospectLead from './prospect_lead.json' with { type: 'json' };
import prospectOpportunity from './prospect_opportunity.json' with { type: 'json' };
import qualityInspectionTemplate from './quality_inspection_template.json' with { type: 'json' };
import role from './role.json' with { type: 'json' };
import roleProfile from './role_profile.json' with { type: 'json' };
import salesInvoice from './sales_invoice.json' with { type: 'json' };
import salesInvoiceAdvance from './sales_invoice_advance.json' with { type: 'json' };
import salesInvoiceItem from './sales_invoice_item.json' with { type: 'json' };
import salesInvoicePayment from './sales_invoice_payment.json' with { type: 'json' };
import salesInvoiceTimesheet from './sales_invoice_timesheet.json' with { type: 'json' };
import salesPartner from './sales_partner.json' with { type: 'json' };
import salesPartnerItem from './sales_partner_item.json' with { type: 'json' };
import salesPerson from './sales_person.json' with { type: 'json' };
import salesTaxesAndCharges from './sales_taxes_and_charges.json' with { type: 'json' };
import salesTaxesAndChargesTemplate from './sales_taxes_and_charges_template.json' with { type: 'json' };
import salesTeam from './sales_team.json' with { type: 'json' };
import salutation from './salutation.json' with { type: 'json' };
import serialAndBatchBundle from './serial_and_batch_bundle.json' with { type: 'json' };
import serialAndBatchEntry from './serial_and_batch_entry.json' with { type: 'json' };
import serialNo from './serial_no.json' with { type: 'json' };
import shippingRule from './shipping_rule.json' with { type: 'json' };
import shippingRuleCondition from './shipping_rule_condition.json' with { type: 'json' };
import shippingRuleCountry from './shipping_rule_country.json' with { type: 'json' };
import stockEntry from './stock_entry.json' with { type: 'json' };
import stockEntryDetail from './stock_entry_detail.json' with { type: 'json' };
import stockLedgerEntry from './stock_ledger_entry.json' with { type: 'json' };
import supplier from './supplier.json' with { type: 'json' };
import supplierGroup from './supplier_group.json' with { type: 'json' };
import supplierGroupItem from './supplier_group_item.json' with { type: 'json' };
import supplierItem from './supplier_item.json' with { type: 'json' };
import systemSettings from './system_settings.json' with { type: 'json' };
import targetDetail from './target_detail.json' with { type: 'json' };
import taxCategory from './tax_category.json' with { type: 'json' };
import termsAndConditions from './terms_and_conditions.json' with { type: 'json' };
import territory from './territory.json' with { type: 'json' };
import territoryItem from './territory_item.json' with { type: 'json' };
import uom from './uom.json' with { type: 'json' };
import uomConversionDetail from './uom_conversion_detail.json' with { type: 'json' };
import user from './user.json' with { type: 'json' };
import userEmail from './user_email.json' with { type: 'json' };
import userSocialLogin from './user_social_login.json' with { type: 'json' };
import warehouse from './warehouse.json' with { type: 'json' };
import warehouseType from './warehouse_type.json' with { type: 'json' };

/** Every shipped DocType definition, as parsed JSON. */
export const doctypeJson: readonly unknown[] = [
  account,
  accountingDimension,
  accountingDimensionDetail,
  address,
  advanceTaxesAndCharges,
  allowedToTransactWith,
  assetCategory,
  assetCategoryAccount,
  assetFinanceBook,
  batch,
  bin,
  blockModule,
  brand,
  campaign,
  campaignEmailSchedule,
  campaignItem,
  company,
  competitorDetail,
  contact,
  contactEmail,
  contactPhone,
  costCenter,
  couponCode,
  crmNote,
  currency,
  currencyExchange,
  customField,
  customer,
  customerCreditLimit,
  customerGroup,
  customerGroupItem,
  customerItem,
  defaultvalue,
  deletedDocument,
  department,
  designation,
  dynamicLink,
  financeBook,
  fiscalYear,
  fiscalYearCompany,
  globalDefaults,
  gender,
  glEntry,
  hasRole,
  incoterm,
  industryType,
  item,
  itemAttribute,
  itemAttributeValue,
  itemBarcode,
  itemCustomerDetail,
  itemDefault,
  itemGroup,
  itemPrice,
  itemQualityInspectionParameter,
  itemReorder,
  itemSupplier,
  itemTax,
  itemTaxTemplate,
  itemTaxTemplateDetail,
  itemVariantAttribute,
  landedCostTaxesAndCharges,
  language,
  lead,
  letterHead,
  loyaltyPointEntry,
  loyaltyPointEntryRedemption,
  loyaltyProgram,
  loyaltyProgramCollection,
  marketSegment,
  modeOfPayment,
  modeOfPaymentAccount,
  moduleProfile,
  opportunity,
  opportunityItem,
  opportunityLostReasonDetail,
  packedItem,
  partyAccount,
  paymentEntry,
  paymentEntryDeduction,
  paymentEntryReference,
  paymentSchedule,
  paymentTermsTemplate,
  paymentTermsTemplateDetail,
  portalUser,
  posClosingEntry,
  posClosingEntryDetail,
  posClosingEntryTaxes,
  posCustomerGroup,
  posInvoice,
  posInvoiceItem,
  posInvoiceMergeLog,
  posInvoiceReference,
  posItemGroup,
  posOpeningEntry,
  posOpeningEntryDetail,
  posPaymentMethod,
  posProfile,
  posProfileUser,
  priceList,
  priceListCountry,
  pricingRule,
  pricingRuleBrand,
  pricingRuleDetail,
  pricingRuleItemCode,
  pricingRuleItemGroup,
  printHeading,
  productBundle,
  productBundleItem,
  project,
  projectUser,
  promotionalScheme,
  promotionalSchemePriceDiscount,
  promotionalSchemeProductDiscount,
  prospect,
  prospectLead,
  prospectOpportunity,
  qualityInspectionTemplate,
  role,
  roleProfile,
  salesInvoice,
  salesInvoiceAdvance,
  salesInvoiceItem,
  salesInvoicePayment,
  salesInvoiceTimesheet,
  salesPartner,
  salesPartnerItem,
  salesPerson,
  salesTaxesAndCharges,
  salesTaxesAndChargesTemplate,
  salesTeam,
  salutation,
  serialAndBatchBundle,
  serialAndBatchEntry,
  serialNo,
  shippingRule,
  shippingRuleCondition,
  shippingRuleCountry,
  stockEntry,
  stockEntryDetail,
  stockLedgerEntry,
  supplier,
  supplierGroup,
  supplierGroupItem,
  supplierItem,
  systemSettings,
  targetDetail,
  taxCategory,
  termsAndConditions,
  territory,
  territoryItem,
  uom,
  uomConversionDetail,
  user,
  userEmail,
  userSocialLogin,
  warehouse,
  warehouseType,
];
