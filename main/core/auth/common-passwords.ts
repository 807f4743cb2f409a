/**
 * The most common passwords (lower case), from public breach-frequency lists, plus the common
 * patterns that reach the 12-character minimum (long keyboard walks, repeats, "password2025!").
 * The set-password page refuses these whatever their case. Kept as a module so every build
 * (Node, Electron bundle, Portal) carries it without a resource path.
 */
const LIST: readonly string[] = [
  '123456', '123456789', '12345678', 'password', 'qwerty123', 'qwerty1', '111111', '12345',
  'secret', '123123', '1234567890', '1234567', '000000', 'qwerty', 'abc123', 'password1',
  'iloveyou', '11111111', 'dragon', 'monkey', '123321', '654321', '666666', '121212',
  '123qwe', '1q2w3e4r', '1q2w3e', '7777777', '987654321', 'qwertyuiop', '1qaz2wsx', 'zxcvbnm',
  'asdfghjkl', '112233', '555555', 'football', 'baseball', 'sunshine', 'princess', 'letmein',
  'welcome', 'shadow', 'superman', 'michael', 'jordan', 'charlie', 'master', 'hello',
  'freedom', 'whatever', 'trustno1', 'starwars', 'batman', 'login', 'admin', 'administrator',
  'passw0rd', 'p@ssw0rd', 'p@ssword', 'access', 'mustang', 'killer', 'hunter', 'ranger',
  'harley', 'thomas', 'jennifer', 'ashley', 'daniel', 'nicole', 'jessica', 'pepper',
  'cheese', 'buster', 'soccer', 'hockey', 'summer', 'flower', 'lovely', 'loveme',
  '696969', '1111111', '1234', '123', 'aaaaaa', 'zaq12wsx', 'qazwsx', 'password123',
  'password1234', 'password12345', 'passwordpassword', 'password123456', 'qwerty12345', 'qwerty123456', 'qwertyuiop123', '123456789012',
  '1234567890123', '12345678901', '123456789a', '123456789abc', '1234567890qwerty', 'qwertyuiopasdfgh', 'qwertyuiopasdfghjkl', 'qwertyuiop1234',
  'qwertyqwerty', 'asdfghjkl123', 'asdfasdfasdf', 'asdasdasdasd', 'zxcvbnm123456', '1q2w3e4r5t6y', '1q2w3e4r5t6y7u', '1q2w3e4r5t6y7u8i',
  '1qaz2wsx3edc', '1qaz2wsx3edc4rfv', 'qazwsxedcrfv', 'zaq1zaq1zaq1', '111111111111', '000000000000', '123123123123', '121212121212',
  '123412341234', '112233445566', '111222333444', '987654321012', '098765432112', 'aaaaaaaaaaaa', 'abcdefghijkl', 'abcdefghijklm',
  'abcdefghijklmnop', 'abcd1234abcd', 'abc123abc123', 'abcabcabcabc', 'iloveyou1234', 'iloveyouiloveyou', 'iloveyou123456', 'letmein12345',
  'letmein123456', 'welcome12345', 'welcome123456', 'welcome2024!', 'welcome2025!', 'welcome2026!', 'welcometothejungle', 'administrator1',
  'administrator123', 'admin1234567', 'admin123456789', 'adminadminadmin', 'changeme1234', 'changemenow1', 'changeme12345', 'trustno1trustno1',
  'starwars1234', 'superman1234', 'batman123456', 'football1234', 'football123456', 'baseball1234', 'basketball123', 'basketball1234',
  'monkey123456', 'dragon123456', 'princess1234', 'sunshine1234', 'sunshine12345', 'shadow123456', 'master123456', 'michael12345',
  'charlie12345', 'jennifer1234', 'jessica12345', 'password2020', 'password2021', 'password2022', 'password2023', 'password2024',
  'password2025', 'password2026', 'password!234', 'password@123', 'password#123', 'password1!', 'password123!', 'password1234!',
  'p@ssw0rd1234', 'p@ssw0rd123!', 'p@$$w0rd1234', 'passw0rd1234', 'passw0rd123!', 'pa$$word1234', 'qwerty123456!', 'qwerty1234567',
  'qwertyuiop12', 'qwertyuiop!', '1qaz!qaz1qaz', '!qaz2wsx#edc', 'summer2024!!', 'winter2024!!', 'spring2024!!', 'autumn2024!!',
  'summer123456', 'winter123456', 'january12345', 'december1234', 'thequickbrownfox', 'correcthorsebatterystaple', 'correcthorse', 'iamthebest1',
  'myspace12345', 'facebook1234', 'google123456', 'linkedin1234', 'computer1234', 'internet1234', 'security1234', 'microsoft123',
  'microsoft1234', 'whatever1234', 'freedom12345', 'lovelovelove', 'babygirl1234', 'chocolate123', 'chocolate1234', 'butterfly123',
  'pokemon12345', 'minecraft123', 'minecraft1234', 'fortnite1234', 'liverpool123', 'chelsea12345', 'arsenal12345', 'barcelona123',
  'realmadrid12', 'manchester12', 'mancity12345', 'juventus1234', '12345qwertasdfg', '12345qwert12345', 'qwert12345qwert', '123456abcdef',
  'abcdef123456', 'a1b2c3d4e5f6', 'a1234567890a', '1a2b3c4d5e6f', 'zxcvbnmasdfg', 'asdfghjklzxc', 'mnbvcxzlkjhg', 'poiuytrewq12',
  '987654321abc', '0987654321ab', '123456654321', '1234554321ab', '123456789qwe', '123456789asd', '123456789zxc', 'qweasdzxc123',
  'qweasdzxcqwe', 'contraseña123', 'contrasena123', 'contrasena1234', 'senha1234567', 'senha12345678', 'minhasenha123', 'teamo1234567',
  'tequiero1234', 'amorcito1234',
];

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(LIST);
