// Addresses weighted roughly like a US-based store selling abroad. Every timeZone is a
// real IANA zone; US states cover all mainland zones so quiet-hour logic gets exercised.
export interface Place {
  countryCodeV2: string;
  country: string;
  provinceCode: string | null;
  province: string | null;
  city: string;
  zip: string;
  timeZone: string;
  locale: string;
  phonePrefix: string;
  weight: number;
}

const p = (
  countryCodeV2: string,
  country: string,
  provinceCode: string | null,
  province: string | null,
  city: string,
  zip: string,
  timeZone: string,
  locale: string,
  phonePrefix: string,
  weight: number,
): Place => ({ countryCodeV2, country, provinceCode, province, city, zip, timeZone, locale, phonePrefix, weight });

export const PLACES: readonly Place[] = [
  p("US", "United States", "NY", "New York", "New York", "10001", "America/New_York", "en", "+1212", 9),
  p("US", "United States", "FL", "Florida", "Miami", "33101", "America/New_York", "en", "+1305", 5),
  p("US", "United States", "MA", "Massachusetts", "Boston", "02108", "America/New_York", "en", "+1617", 3),
  p("US", "United States", "IL", "Illinois", "Chicago", "60601", "America/Chicago", "en", "+1312", 5),
  p("US", "United States", "TX", "Texas", "Austin", "73301", "America/Chicago", "en", "+1512", 6),
  p("US", "United States", "OK", "Oklahoma", "Tulsa", "74103", "America/Chicago", "en", "+1918", 2),
  p("US", "United States", "CO", "Colorado", "Denver", "80202", "America/Denver", "en", "+1303", 3),
  p("US", "United States", "AZ", "Arizona", "Phoenix", "85001", "America/Phoenix", "en", "+1602", 3),
  p("US", "United States", "CA", "California", "Los Angeles", "90001", "America/Los_Angeles", "en", "+1213", 10),
  p("US", "United States", "WA", "Washington", "Seattle", "98101", "America/Los_Angeles", "en", "+1206", 4),
  p("US", "United States", "AK", "Alaska", "Anchorage", "99501", "America/Anchorage", "en", "+1907", 1),
  p("US", "United States", "HI", "Hawaii", "Honolulu", "96813", "Pacific/Honolulu", "en", "+1808", 1),
  p("CA", "Canada", "ON", "Ontario", "Toronto", "M5H 2N2", "America/Toronto", "en", "+1416", 4),
  p("CA", "Canada", "BC", "British Columbia", "Vancouver", "V6B 1A1", "America/Vancouver", "en", "+1604", 2),
  p("MX", "Mexico", "CMX", "Ciudad de México", "Mexico City", "06000", "America/Mexico_City", "es", "+5255", 2),
  p("BR", "Brazil", "SP", "São Paulo", "São Paulo", "01000-000", "America/Sao_Paulo", "pt-BR", "+5511", 2),
  p("GB", "United Kingdom", null, null, "London", "SW1A 1AA", "Europe/London", "en", "+4420", 6),
  p("IE", "Ireland", "D", "Dublin", "Dublin", "D01 F5P2", "Europe/Dublin", "en", "+3531", 1),
  p("DE", "Germany", null, null, "Berlin", "10115", "Europe/Berlin", "de", "+4930", 4),
  p("FR", "France", null, null, "Paris", "75001", "Europe/Paris", "fr", "+331", 3),
  p("ES", "Spain", "M", "Madrid", "Madrid", "28001", "Europe/Madrid", "es", "+3491", 2),
  p("IT", "Italy", "MI", "Milano", "Milan", "20121", "Europe/Rome", "it", "+3902", 2),
  p("NL", "Netherlands", null, null, "Amsterdam", "1011 AB", "Europe/Amsterdam", "nl", "+3120", 2),
  p("SE", "Sweden", null, null, "Stockholm", "111 20", "Europe/Stockholm", "sv", "+468", 1),
  p("PL", "Poland", null, null, "Warsaw", "00-001", "Europe/Warsaw", "pl", "+4822", 1),
  p("FI", "Finland", null, null, "Helsinki", "00100", "Europe/Helsinki", "fi", "+3589", 1),
  p("JP", "Japan", "JP-13", "Tokyo", "Tokyo", "100-0001", "Asia/Tokyo", "ja", "+813", 2),
  p("KR", "South Korea", null, null, "Seoul", "04524", "Asia/Seoul", "ko", "+822", 1),
  p("CN", "China", "SH", "Shanghai", "Shanghai", "200000", "Asia/Shanghai", "zh-CN", "+8621", 1),
  p("SG", "Singapore", null, null, "Singapore", "018956", "Asia/Singapore", "en", "+65", 1),
  p("IN", "India", "MH", "Maharashtra", "Mumbai", "400001", "Asia/Kolkata", "en", "+9122", 2),
  p("AE", "United Arab Emirates", "DU", "Dubai", "Dubai", "00000", "Asia/Dubai", "en", "+9714", 1),
  p("AU", "Australia", "NSW", "New South Wales", "Sydney", "2000", "Australia/Sydney", "en", "+612", 3),
  p("AU", "Australia", "WA", "Western Australia", "Perth", "6000", "Australia/Perth", "en", "+618", 1),
  p("NZ", "New Zealand", "AUK", "Auckland", "Auckland", "1010", "Pacific/Auckland", "en", "+649", 1),
  p("ZA", "South Africa", "GP", "Gauteng", "Johannesburg", "2001", "Africa/Johannesburg", "en", "+2711", 1),
];

export const FIRST_NAMES = [
  "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Mia", "Lucas", "Amelia", "Mateo",
  "Hana", "Yuki", "Wei", "Priya", "Arjun", "Fatima", "Omar", "Chloé", "Lukas", "Sofia", "Giulia", "Sven",
  "Aoife", "Zofia", "Mei", "Ji-woo", "Isabela", "Diego", "Grace", "Henry", "Nora", "Leo", "Maya", "Ethan",
] as const;

export const LAST_NAMES = [
  "Smith", "Johnson", "Garcia", "Brown", "Martinez", "Nguyen", "Müller", "Rossi", "Dubois", "Kowalski",
  "Tanaka", "Kim", "Chen", "Patel", "Singh", "Silva", "O'Brien", "Andersson", "Virtanen", "van Dijk",
  "Williams", "Jones", "Davis", "Lopez", "Wilson", "Taylor", "Thomas", "Moore", "Jackson", "White",
] as const;
