/**
 * Owns small watchlist files in the official formats for the watchlist tests: an OFAC sdn.csv
 * and alt.csv (no header, "-0- " for empty, programs joined "] [", DOB in the remarks, the
 * trailing SUB byte) and a UN consolidated XML with an individual and an entity.
 */

export const SDN_CSV = [
  `1001,"DOE, John","individual","SDGT] [IRGC",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 12 Jan 1960; alt. DOB 1961; POB Springfield; nationality Iran; Passport X123 (Iran)."`,
  `1002,"ACME SHIPPING CO., LTD.",-0- ,"IRAN",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Website www.acme.example; Registration ID 42, ""ACME"" trade name."`,
  `1003,"SEA BREEZE","vessel","SDGT",-0- ,"9HA1234","Crude Oil Tanker",-0- ,"81,479","Panama","ACME SHIPPING CO., LTD.","Vessel Registration Identification IMO 9123456."`,
  `1004,"ROSSI, Maria Luisa","individual","UKRAINE-EO13660",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB circa 1975; citizenship Italy."`,
  "\x1a",
].join("\r\n");

export const ALT_CSV = [
  `1001,501,"aka","DOE, Johnny",-0- `,
  `1002,502,"fka","ACME MARINE LLC",-0- `,
  `9999,503,"aka","NOBODY, Known",-0- `,
  "\x1a",
].join("\r\n");

export const UN_XML = `<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="https://scsanctions.un.org/resources/xml/en/consolidated.xsd" dateGenerated="2026-11-01T09:00:04.123-04:00">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>6908555</DATAID>
      <VERSIONNUM>1</VERSIONNUM>
      <FIRST_NAME>IVAN</FIRST_NAME>
      <SECOND_NAME>PETROVICH</SECOND_NAME>
      <THIRD_NAME>SIDOROV</THIRD_NAME>
      <UN_LIST_TYPE>DPRK</UN_LIST_TYPE>
      <REFERENCE_NUMBER>KPi.099</REFERENCE_NUMBER>
      <LISTED_ON>2016-11-30</LISTED_ON>
      <COMMENTS1>Representative of Trading &amp; Finance Ltd.</COMMENTS1>
      <DESIGNATION><VALUE>Director</VALUE></DESIGNATION>
      <NATIONALITY><VALUE>Russian Federation</VALUE><VALUE>Cyprus</VALUE></NATIONALITY>
      <LIST_TYPE><VALUE>UN List</VALUE></LIST_TYPE>
      <LAST_DAY_UPDATED><VALUE/></LAST_DAY_UPDATED>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Ivan Sidorov</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Vanya</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ADDRESS><COUNTRY>Russian Federation</COUNTRY></INDIVIDUAL_ADDRESS>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1970-05-04</DATE></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1968</FROM_YEAR><TO_YEAR>1969</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_PLACE_OF_BIRTH><CITY>Moscow</CITY></INDIVIDUAL_PLACE_OF_BIRTH>
      <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>123456</NUMBER></INDIVIDUAL_DOCUMENT>
      <SORT_KEY/>
      <SORT_KEY_LAST_MOD/>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY>
      <DATAID>110404</DATAID>
      <VERSIONNUM>1</VERSIONNUM>
      <FIRST_NAME>GLOBAL RELIEF TRUST</FIRST_NAME>
      <UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>
      <REFERENCE_NUMBER>QDe.999</REFERENCE_NUMBER>
      <LISTED_ON>2002-10-22</LISTED_ON>
      <COMMENTS1/>
      <LIST_TYPE><VALUE>UN List</VALUE></LIST_TYPE>
      <ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>Fondation Secours Mondial</ALIAS_NAME></ENTITY_ALIAS>
      <ENTITY_ADDRESS><CITY>Bridgeview</CITY></ENTITY_ADDRESS>
      <SORT_KEY/>
      <SORT_KEY_LAST_MOD/>
    </ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>
`;
